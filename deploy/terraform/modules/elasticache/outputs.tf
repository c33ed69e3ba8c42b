output "primary_endpoint" {
  description = "Where the services connect (TLS, port 6379)."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "auth_token" {
  description = "The AUTH token, for modules/secrets to keep in Secrets Manager."
  value       = random_password.auth.result
  sensitive   = true
}
