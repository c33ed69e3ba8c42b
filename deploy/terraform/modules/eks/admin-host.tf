# The way operators reach a private API endpoint: a small host in the app subnets with no
# inbound rule at all, reached through SSM Session Manager port forwarding (IAM-authenticated and
# logged in CloudTrail); no bastion port open, no SSH key (docs/runbooks/cluster-access.md).
data "aws_ssm_parameter" "admin_host_ami" {
  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
}

resource "aws_iam_role" "admin_host" {
  name               = "${var.name}-admin-host"
  assume_role_policy = data.aws_iam_policy_document.node_assume.json
}

resource "aws_iam_role_policy_attachment" "admin_host" {
  role       = aws_iam_role.admin_host.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_instance_profile" "admin_host" {
  name = "${var.name}-admin-host"
  role = aws_iam_role.admin_host.name
}

resource "aws_security_group" "admin_host" {
  name        = "${var.name}-admin-host"
  description = "SSM-reached admin host: nothing inbound; HTTPS out to SSM and the cluster API"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_egress_rule" "admin_host_https" {
  description       = "SSM, and the API endpoint through the cluster security group"
  security_group_id = aws_security_group.admin_host.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "api_from_admin_host" {
  description                  = "The Kubernetes API from the admin host"
  security_group_id            = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
  referenced_security_group_id = aws_security_group.admin_host.id
  from_port                    = 443
  to_port                      = 443
  ip_protocol                  = "tcp"
}

resource "aws_instance" "admin_host" {
  ami                    = data.aws_ssm_parameter.admin_host_ami.value
  instance_type          = "t4g.nano"
  subnet_id              = var.subnet_ids[0]
  vpc_security_group_ids = [aws_security_group.admin_host.id]
  iam_instance_profile   = aws_iam_instance_profile.admin_host.name
  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }
  root_block_device {
    encrypted = true
  }
  tags = { Name = "${var.name}-admin-host" }
}
