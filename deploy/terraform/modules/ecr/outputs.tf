output "repository_url" {
  description = "Where the release workflow pushes images."
  value       = aws_ecr_repository.this.repository_url
}
