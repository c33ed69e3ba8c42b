variable "name" {
  type        = string
  description = "Identifier of the replication group, e.g. bazaar-prod."
}

variable "vpc_id" {
  type        = string
  description = "The VPC Redis lives in."
}

variable "subnet_ids" {
  type        = list(string)
  description = "The private data subnets."
}

variable "client_cidrs" {
  type        = list(string)
  description = "The only networks allowed to connect: the app subnets."
}

variable "node_type" {
  type        = string
  description = "ElastiCache node type, e.g. cache.t4g.small."
}

variable "replicas" {
  type        = number
  description = "Read replicas besides the primary; one or more enables failover across zones."
}
