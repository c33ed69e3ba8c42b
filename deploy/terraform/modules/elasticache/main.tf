# Redis for carts, rate limits and the catalog cache: TLS in transit, encrypted at rest with its own
# key, an AUTH token generated here and kept in Secrets Manager (modules/secrets), replicas in other
# zones when asked.
resource "random_password" "auth" {
  length  = 48
  special = false
}

resource "aws_kms_key" "this" {
  description         = "${var.name}: Redis at rest"
  enable_key_rotation = true
}

resource "aws_elasticache_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
}

resource "aws_security_group" "this" {
  name        = "${var.name}-redis"
  description = "Redis from the app subnets only"
  vpc_id      = var.vpc_id
}

# One rule a resource, so a rule added or removed is a change of its own, never a replacement of
# the group's whole set.
resource "aws_vpc_security_group_ingress_rule" "clients" {
  for_each          = toset(var.client_cidrs)
  security_group_id = aws_security_group.this.id
  description       = "Redis from the EKS nodes in ${each.value}"
  ip_protocol       = "tcp"
  from_port         = 6379
  to_port           = 6379
  cidr_ipv4         = each.value
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id       = var.name
  description                = "Bazaar carts, rate limits and read cache"
  engine                     = "redis"
  engine_version             = "7.1"
  node_type                  = var.node_type
  num_cache_clusters         = var.replicas + 1
  automatic_failover_enabled = var.replicas > 0
  multi_az_enabled           = var.replicas > 0
  subnet_group_name          = aws_elasticache_subnet_group.this.name
  security_group_ids         = [aws_security_group.this.id]
  transit_encryption_enabled = true
  at_rest_encryption_enabled = true
  kms_key_id                 = aws_kms_key.this.arn
  auth_token                 = random_password.auth.result
  snapshot_retention_limit   = 1
}
