# Who may use the cluster's API (authentication_mode = "API": access entries only, no aws-auth
# ConfigMap). Administrators get cluster-admin from an AWS policy; developers get only the group
# `bazaar:developers`, whose rights are the Roles in deploy/k8s (read everything but Secrets; in
# dev and staging also port-forward). CI has no entry: it pushes images and commits, and Argo CD
# deploys from inside the cluster.
resource "aws_eks_access_entry" "admin" {
  for_each      = toset(var.admin_role_arns)
  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.key
}

resource "aws_eks_access_policy_association" "admin" {
  for_each      = toset(var.admin_role_arns)
  cluster_name  = aws_eks_cluster.this.name
  principal_arn = aws_eks_access_entry.admin[each.key].principal_arn
  policy_arn    = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
  access_scope {
    type = "cluster"
  }
}

resource "aws_eks_access_entry" "developer" {
  for_each          = toset(var.developer_role_arns)
  cluster_name      = aws_eks_cluster.this.name
  principal_arn     = each.key
  kubernetes_groups = ["bazaar:developers"]
}
