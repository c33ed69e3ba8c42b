output "service_role_arns" {
  description = "The Pod Identity role of each service."
  value       = { for name, role in aws_iam_role.service : name => role.arn }
}

output "external_secrets_role_arn" {
  description = "The role the External Secrets operator reads the environment's secrets with."
  value       = aws_iam_role.external_secrets.arn
}

output "platform_role_arns" {
  description = "The Pod Identity role of each platform controller."
  value       = { for name, role in aws_iam_role.platform : name => role.arn }
}
