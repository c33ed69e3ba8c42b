variable "environment" {
  type        = string
  description = "Environment name: dev or prod. Names every resource and secret path."
  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "region" {
  type        = string
  description = "AWS region, e.g. eu-west-1."
}

variable "vpc_cidr" {
  type        = string
  description = "The VPC's address range (a /16 gives /20 subnets)."
}

variable "nat_per_zone" {
  type        = bool
  description = "A NAT gateway per zone (prod) or one shared (dev)."
}

variable "kubernetes_version" {
  type        = string
  description = "EKS Kubernetes version."
}

variable "eks_public_endpoint_cidrs" {
  type        = list(string)
  description = "Networks that may reach the Kubernetes API from the internet (empty: private only)."
}

variable "node_instance_types" {
  type        = list(string)
  description = "Instance types of the EKS managed node group."
}

variable "node_min" {
  type        = number
  description = "Fewest EKS nodes."
}

variable "node_max" {
  type        = number
  description = "Most EKS nodes."
}

variable "log_retention_days" {
  type        = number
  description = "Days EKS control-plane logs are kept."
}

variable "db_instance_class" {
  type        = string
  description = "RDS instance class."
}

variable "db_storage_gb" {
  type        = number
  description = "RDS allocated storage in GiB."
}

variable "db_multi_az" {
  type        = bool
  description = "RDS standby in a second zone."
}

variable "db_deletion_protection" {
  type        = bool
  description = "RDS refuses deletion."
}

variable "db_backup_retention_days" {
  type        = number
  description = "Days of RDS automated backups."
}

variable "redis_node_type" {
  type        = string
  description = "ElastiCache node type."
}

variable "redis_replicas" {
  type        = number
  description = "ElastiCache read replicas (0 in dev)."
}

variable "keep_images" {
  type        = number
  description = "Images ECR keeps."
}

variable "admin_email" {
  type        = string
  description = "The shop administrator's sign-in (its password is generated into Secrets Manager)."
  validation {
    condition     = can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.admin_email))
    error_message = "admin_email must be an e-mail address."
  }
}

variable "admin_role_arns" {
  type        = list(string)
  description = "IAM roles that administer the cluster (SSO permission sets' roles, say)."
}

variable "developer_role_arns" {
  type        = list(string)
  default     = []
  description = "IAM roles that may read the cluster: read and port-forward in dev and staging, read-only in prod."
}

variable "domain" {
  type        = string
  description = "The shop's host name; its Route53 zone, the ALB's certificate and the Ingress's host (the overlay names the same)."
}

variable "alert_email" {
  type        = string
  description = "The address Alertmanager's notifications are mailed to (through SNS)."
}
