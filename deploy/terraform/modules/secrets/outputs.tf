output "kms_key_arn" {
  description = "The key that encrypts the secrets: whoever reads them needs kms:Decrypt on it."
  value       = aws_kms_key.secrets.arn
}

output "secret_arns" {
  description = "Secret name => ARN."
  value       = { for name, secret in aws_secretsmanager_secret.this : name => secret.arn }
}
