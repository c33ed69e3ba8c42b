output "address" {
  description = "The database's host name."
  value       = aws_db_instance.this.address
}

output "master_secret_arn" {
  description = "The Secrets Manager secret holding the migration job's DATABASE_URL."
  value       = aws_secretsmanager_secret.master.arn
}
