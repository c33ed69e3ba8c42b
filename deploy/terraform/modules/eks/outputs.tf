output "cluster_name" {
  description = "The cluster's name, for Pod Identity associations and kubeconfig."
  value       = aws_eks_cluster.this.name
}

output "endpoint" {
  description = "The Kubernetes API endpoint."
  value       = aws_eks_cluster.this.endpoint
}

output "node_security_group_id" {
  description = "The security group EKS gives the cluster and its nodes."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}

output "admin_host_id" {
  description = "The instance to start an SSM port-forwarding session to the private API endpoint through."
  value       = aws_instance.admin_host.id
}

output "ansible_bucket" {
  description = "The bucket Ansible's SSM connection passes files to the admin host through."
  value       = module.ansible_bucket.id
}

output "cluster_arn" {
  description = "The cluster's ARN, for roles that may describe it."
  value       = aws_eks_cluster.this.arn
}

output "node_role_arn" {
  description = "The nodes' role: the managed node group's and Karpenter's."
  value       = aws_iam_role.node.arn
}

output "interruption_queue_arn" {
  description = "The queue Karpenter reads EC2's interruption warnings from."
  value       = aws_sqs_queue.interruptions.arn
}
