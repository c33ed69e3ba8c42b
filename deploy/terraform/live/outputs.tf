output "cluster_name" {
  description = "The EKS cluster."
  value       = module.eks.cluster_name
}

output "repository_url" {
  description = "The ECR repository the release workflow pushes to."
  value       = module.ecr.repository_url
}

output "database_address" {
  description = "The RDS host."
  value       = module.rds.address
}

output "data_subnet_cidrs" {
  description = "Set these as the data-store CIDR of the Kubernetes NetworkPolicy allow-data-stores."
  value       = module.network.data_subnet_cidrs
}
