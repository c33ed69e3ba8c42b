output "primary_endpoint" {
  description = "Where the services connect (TLS, port 6379)."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "secret_arn" {
  description = "The Secrets Manager secret holding REDIS_URL."
  value       = aws_secretsmanager_secret.auth.arn
}
