variable "name" {
  type        = string
  description = "The cluster's name, e.g. bazaar-prod."
}

variable "kubernetes_version" {
  type        = string
  description = "The EKS Kubernetes version, e.g. 1.33."
}

variable "subnet_ids" {
  type        = list(string)
  description = "The private app subnets the control plane and the nodes use."
}

variable "public_endpoint_cidrs" {
  type        = list(string)
  description = "Networks allowed to reach the API endpoint from the internet; empty keeps it private."
  validation {
    condition     = !contains(var.public_endpoint_cidrs, "0.0.0.0/0")
    error_message = "public_endpoint_cidrs must name networks, not the whole internet (0.0.0.0/0)."
  }
}

variable "instance_types" {
  type        = list(string)
  description = "EC2 instance types of the managed node group."
}

variable "node_min" {
  type        = number
  description = "Fewest nodes in the managed node group (spread over the three zones)."
}

variable "node_max" {
  type        = number
  description = "Most nodes in the managed node group."
}

variable "log_retention_days" {
  type        = number
  description = "Days the control-plane logs are kept in CloudWatch."
}

variable "vpc_id" {
  type        = string
  description = "The VPC of the cluster, where the SSM-reached admin host runs."
}

variable "admin_role_arns" {
  type        = list(string)
  description = "IAM roles whose sessions administer the cluster (cluster-admin)."
}

variable "developer_role_arns" {
  type        = list(string)
  description = "IAM roles whose sessions may read the cluster (group bazaar:developers)."
}

variable "log_kms_key_arn" {
  type        = string
  description = "The key the control plane's log group is encrypted with (modules/platform)."
}
