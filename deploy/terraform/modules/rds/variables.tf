variable "name" {
  type        = string
  description = "Identifier of the database instance, e.g. bazaar-prod."
}

variable "vpc_id" {
  type        = string
  description = "The VPC the database lives in."
}

variable "subnet_ids" {
  type        = list(string)
  description = "The private data subnets (no internet route)."
}

variable "client_cidrs" {
  type        = list(string)
  description = "The only networks allowed to connect: the app subnets."
}

variable "instance_class" {
  type        = string
  description = "RDS instance class, e.g. db.t4g.medium."
}

variable "storage_gb" {
  type        = number
  description = "Allocated storage in GiB; autoscaling may grow it to four times this."
}

variable "multi_az" {
  type        = bool
  description = "A synchronous standby in another zone (production)."
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse deletion, and keep a final snapshot when deleted anyway (production)."
}

variable "backup_retention_days" {
  type        = number
  description = "Days automated backups (point-in-time recovery) are kept."
}
