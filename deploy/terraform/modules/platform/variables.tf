variable "name" {
  type        = string
  description = "Prefix of the resources' names, e.g. bazaar-prod."
}

variable "domain" {
  type        = string
  description = "The shop's host name, e.g. shop.example.com: a Route53 zone of its own and the ALB's certificate."
}

variable "log_retention_days" {
  type        = number
  description = "Days CloudWatch Logs keeps the containers' logs."
}

variable "alert_email" {
  type        = string
  description = "Where Alertmanager's notifications go (an SNS email subscription, confirmed once by its owner)."
}

variable "requests_per_address_per_5_minutes" {
  type        = number
  description = "Requests one client address may make in 5 minutes before the web ACL blocks it."
  default     = 3000
}
