# The way operators reach a private API endpoint: a small host in the app subnets with no
# inbound rule at all, reached through SSM Session Manager port forwarding (IAM-authenticated and
# logged in CloudTrail); no bastion port open, no SSH key (docs/runbooks/cluster-access.md).
# Debian 12, the images' own base, so that its Ansible role (deploy/ansible) runs in the container
# suite on the same system; cloud-init installs the SSM agent at first boot, Ansible does the rest
# over SSM.
data "aws_ami" "admin_host" {
  most_recent = true
  owners      = ["136693071363"] # Debian's own account
  filter {
    name   = "name"
    values = ["debian-12-arm64-*"]
  }
}

data "aws_region" "current" {}

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
  ami                    = data.aws_ami.admin_host.id
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
  # AWS's own package of the agent, from the region's bucket (reached through the S3 endpoint).
  user_data = <<-EOT
    #!/bin/sh
    set -e
    curl -fsSL -o /tmp/amazon-ssm-agent.deb \
      https://s3.${data.aws_region.current.region}.amazonaws.com/amazon-ssm-${data.aws_region.current.region}/latest/debian_arm64/amazon-ssm-agent.deb
    dpkg -i /tmp/amazon-ssm-agent.deb
    systemctl enable --now amazon-ssm-agent
  EOT
  # A newer AMI is not a reason to replace the host: Ansible keeps it patched.
  lifecycle {
    ignore_changes = [ami]
  }
  tags = { Name = "${var.name}-admin-host", Component = "admin-host", AnsibleBucket = module.ansible_bucket.id }
}

# Where Ansible's SSM connection passes files to the host (presigned URLs: the host's role needs
# no access of its own); nothing is kept past a day. The host's tag names it for the inventory.
module "ansible_bucket" {
  source          = "../bucket"
  prefix          = "${var.name}-ansible-"
  description     = "${var.name}: Ansible's transfers to the admin host"
  noncurrent_days = 1
  expire_days     = 1
  force_destroy   = true
}
