output "cluster_name" {
  description = "The EKS cluster."
  value       = module.eks.cluster_name
}

output "repository_url" {
  description = "The ECR repository the release workflow pushes to."
  value       = module.ecr.repository_url
}

output "pgbouncer_repository_url" {
  description = "The ECR repository of the PgBouncer image the release workflow pushes beside it."
  value       = module.ecr_pgbouncer.repository_url
}

output "database_address" {
  description = "The RDS host."
  value       = module.rds.address
}

output "data_subnet_cidrs" {
  description = "The data subnets; the environment's overlay names the same in its allow-data-stores NetworkPolicy (a test keeps them equal)."
  value       = module.network.data_subnet_cidrs
}

output "admin_host_id" {
  description = "The SSM-reached admin host in front of the private API endpoint (docs/runbooks/cluster-access.md)."
  value       = module.eks.admin_host_id
}

output "ansible_bucket" {
  description = "Where Ansible's SSM connection to the admin host passes files (deploy/ansible)."
  value       = module.eks.ansible_bucket
}

output "cluster_endpoint" {
  description = "The Kubernetes API endpoint (private unless eks_public_endpoint_cidrs names networks)."
  value       = module.eks.endpoint
}

output "name_servers" {
  description = "Delegate the shop's domain to these (docs/runbooks/deploy.md); the ALB's certificate is issued once they answer."
  value       = module.platform.name_servers
}

output "log_group_name" {
  description = "The containers' logs in CloudWatch Logs."
  value       = module.platform.log_group_name
}
