# PostgreSQL 16 for every service's database: private, encrypted with its own KMS key, the master
# password generated here and kept only in Secrets Manager (modules/secrets writes it there).
resource "aws_kms_key" "this" {
  description         = "${var.name}: RDS storage and Performance Insights"
  enable_key_rotation = true
}

resource "random_password" "master" {
  length  = 32
  special = false
}

resource "aws_db_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
}

resource "aws_security_group" "this" {
  name        = "${var.name}-postgres"
  description = "PostgreSQL from the app subnets only"
  vpc_id      = var.vpc_id
}

# One rule a resource, so a rule added or removed is a change of its own, never a replacement of
# the group's whole set.
resource "aws_vpc_security_group_ingress_rule" "clients" {
  for_each          = toset(var.client_cidrs)
  security_group_id = aws_security_group.this.id
  description       = "PostgreSQL from the EKS nodes in ${each.value}"
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432
  cidr_ipv4         = each.value
}

resource "aws_db_instance" "this" {
  identifier                            = var.name
  engine                                = "postgres"
  engine_version                        = "16"
  instance_class                        = var.instance_class
  allocated_storage                     = var.storage_gb
  max_allocated_storage                 = var.storage_gb * 4
  storage_type                          = "gp3"
  storage_encrypted                     = true
  kms_key_id                            = aws_kms_key.this.arn
  username                              = "bazaar"
  password                              = random_password.master.result
  db_subnet_group_name                  = aws_db_subnet_group.this.name
  vpc_security_group_ids                = [aws_security_group.this.id]
  publicly_accessible                   = false
  multi_az                              = var.multi_az
  deletion_protection                   = var.deletion_protection
  skip_final_snapshot                   = !var.deletion_protection
  final_snapshot_identifier             = var.deletion_protection ? "${var.name}-final" : null
  backup_retention_period               = var.backup_retention_days
  copy_tags_to_snapshot                 = true
  performance_insights_enabled          = true
  performance_insights_kms_key_id       = aws_kms_key.this.arn
  iam_database_authentication_enabled   = true
  auto_minor_version_upgrade            = true
  enabled_cloudwatch_logs_exports       = ["postgresql"]
  performance_insights_retention_period = 7
}
