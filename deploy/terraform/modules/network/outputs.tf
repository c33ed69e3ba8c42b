output "vpc_id" {
  description = "The VPC's id."
  value       = aws_vpc.this.id
}

output "public_subnet_ids" {
  description = "Public subnets, for internet-facing load balancers."
  value       = aws_subnet.public[*].id
}

output "app_subnet_ids" {
  description = "Private subnets for the EKS nodes."
  value       = aws_subnet.app[*].id
}

output "app_subnet_cidrs" {
  description = "Address ranges of the app subnets, the only sources the data stores accept."
  value       = aws_subnet.app[*].cidr_block
}

output "data_subnet_ids" {
  description = "Private subnets without internet routes, for RDS and ElastiCache."
  value       = aws_subnet.data[*].id
}

output "data_subnet_cidrs" {
  description = "Address ranges of the data subnets (the NetworkPolicy for data stores allows these)."
  value       = aws_subnet.data[*].cidr_block
}
