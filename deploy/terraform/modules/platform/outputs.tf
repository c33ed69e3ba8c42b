output "zone_arn" {
  description = "The shop's Route53 zone, which ExternalDNS may change."
  value       = aws_route53_zone.shop.arn
}

output "name_servers" {
  description = "The zone's name servers, to delegate the domain to."
  value       = aws_route53_zone.shop.name_servers
}

output "certificate_arn" {
  description = "The ALB's certificate (the controller finds it by host; named here for the operator)."
  value       = aws_acm_certificate.shop.arn
}

output "log_group_name" {
  description = "Where Fluent Bit ships the containers' logs."
  value       = aws_cloudwatch_log_group.containers.name
}

output "log_group_arn" {
  description = "The containers' log group, which Fluent Bit may write to."
  value       = aws_cloudwatch_log_group.containers.arn
}

output "alert_topic_arn" {
  description = "The topic Alertmanager publishes to."
  value       = aws_sns_topic.alerts.arn
}

output "logs_kms_key_arn" {
  description = "The key of the environment's log groups (the EKS control plane's too)."
  value       = aws_kms_key.logs.arn
}

output "images_bucket" {
  description = "The bucket of product images."
  value       = module.images.id
}

output "web_acl_name" {
  description = "The web ACL in front of the ALB, which the Ingress names."
  value       = aws_wafv2_web_acl.edge.name
}

output "images_bucket_arn" {
  description = "The bucket of product images, which catalog reads and writes."
  value       = module.images.arn
}

output "images_kms_key_arn" {
  description = "The key the product images are encrypted with."
  value       = module.images.kms_key_arn
}
