variable "name" {
  type        = string
  description = "Prefix of the key's alias, e.g. bazaar-prod."
}

variable "secret_prefix" {
  type        = string
  description = "Secrets Manager path of the environment's secrets, e.g. bazaar/prod."
}

variable "database_host" {
  type        = string
  description = "The PostgreSQL server's host name."
}

variable "database_owner" {
  type        = string
  description = "The PostgreSQL role that owns the databases and runs the migrations."
}

variable "database_owner_password" {
  type        = string
  sensitive   = true
  description = "That role's password."
}

variable "redis_host" {
  type        = string
  description = "Redis's primary endpoint (TLS, port 6379)."
}

variable "redis_auth_token" {
  type        = string
  sensitive   = true
  description = "Redis's AUTH token."
}

variable "admin_email" {
  type        = string
  description = "The shop administrator's sign-in; the password is generated."
}

variable "images_bucket" {
  type        = string
  description = "The bucket catalog keeps product images in."
}
