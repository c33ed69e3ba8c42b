output "address" {
  description = "The database's host name."
  value       = aws_db_instance.this.address
}

output "master_username" {
  description = "The role that owns the databases and runs the migrations."
  value       = aws_db_instance.this.username
}

output "master_password" {
  description = "That role's password, for modules/secrets to keep in Secrets Manager."
  value       = random_password.master.result
  sensitive   = true
}
