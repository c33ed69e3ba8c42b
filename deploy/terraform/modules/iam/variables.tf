variable "name" {
  type        = string
  description = "Prefix of the role names, e.g. bazaar-prod."
}

variable "cluster_name" {
  type        = string
  description = "The EKS cluster whose service accounts get the roles."
}

variable "namespace" {
  type        = string
  description = "The Kubernetes namespace of the services."
}

variable "services" {
  type        = list(string)
  description = "Service names; each service account of that name gets a role of its own."
}

variable "secret_prefix" {
  type        = string
  description = "Secrets Manager path of the environment's secrets, e.g. bazaar/prod."
}

variable "secrets_kms_key_arn" {
  type        = string
  description = "The key that encrypts the environment's secrets (modules/secrets)."
}

variable "zone_arn" {
  type        = string
  description = "The shop's Route53 zone, the only one ExternalDNS may change (modules/platform)."
}

variable "log_group_arn" {
  type        = string
  description = "The log group Fluent Bit writes the containers' logs to (modules/platform)."
}

variable "alert_topic_arn" {
  type        = string
  description = "The SNS topic Alertmanager publishes to (modules/platform)."
}

variable "cluster_arn" {
  type        = string
  description = "The cluster's ARN (Karpenter describes it)."
}

variable "node_role_arn" {
  type        = string
  description = "The nodes' role, which Karpenter passes to the instances it starts (modules/eks)."
}

variable "interruption_queue_arn" {
  type        = string
  description = "The queue Karpenter reads EC2's interruption warnings from (modules/eks)."
}

variable "images_bucket_arn" {
  type        = string
  description = "The bucket of product images, which catalog reads and writes."
}

variable "images_kms_key_arn" {
  type        = string
  description = "The key the product images are encrypted with."
}
