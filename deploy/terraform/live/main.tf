# The shop's AWS infrastructure; one root for every environment. An environment is a backend
# file and a tfvars file in ../environments:
#   terraform init -backend-config=../environments/prod.s3.tfbackend
#   terraform plan -var-file=../environments/prod.tfvars
terraform {
  required_version = ">= 1.10"
  # Partial: bucket, key and region come from the environment's .s3.tfbackend file.
  backend "s3" {}
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.7"
    }
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = { Project = "bazaar", Environment = var.environment, ManagedBy = "terraform" }
  }
}

locals {
  name          = "bazaar-${var.environment}"
  secret_prefix = "bazaar/${var.environment}"
}

module "network" {
  source       = "../modules/network"
  name         = local.name
  cidr         = var.vpc_cidr
  nat_per_zone = var.nat_per_zone
}

module "eks" {
  source                = "../modules/eks"
  name                  = local.name
  kubernetes_version    = var.kubernetes_version
  vpc_id                = module.network.vpc_id
  subnet_ids            = module.network.app_subnet_ids
  public_endpoint_cidrs = var.eks_public_endpoint_cidrs
  instance_types        = var.node_instance_types
  node_min              = var.node_min
  node_max              = var.node_max
  log_retention_days    = var.log_retention_days
  log_kms_key_arn       = module.platform.logs_kms_key_arn
  admin_role_arns       = var.admin_role_arns
  developer_role_arns   = var.developer_role_arns
}

module "rds" {
  source                = "../modules/rds"
  name                  = local.name
  vpc_id                = module.network.vpc_id
  subnet_ids            = module.network.data_subnet_ids
  client_cidrs          = module.network.app_subnet_cidrs
  instance_class        = var.db_instance_class
  storage_gb            = var.db_storage_gb
  multi_az              = var.db_multi_az
  deletion_protection   = var.db_deletion_protection
  backup_retention_days = var.db_backup_retention_days
}

module "elasticache" {
  source       = "../modules/elasticache"
  name         = local.name
  vpc_id       = module.network.vpc_id
  subnet_ids   = module.network.data_subnet_ids
  client_cidrs = module.network.app_subnet_cidrs
  node_type    = var.redis_node_type
  replicas     = var.redis_replicas
}

module "ecr" {
  source      = "../modules/ecr"
  name        = "bazaar"
  keep_images = var.keep_images
}

module "ecr_pgbouncer" {
  source      = "../modules/ecr"
  name        = "bazaar-pgbouncer"
  keep_images = var.keep_images
}

module "secrets" {
  source                  = "../modules/secrets"
  name                    = local.name
  secret_prefix           = local.secret_prefix
  database_host           = module.rds.address
  database_owner          = module.rds.master_username
  database_owner_password = module.rds.master_password
  redis_host              = module.elasticache.primary_endpoint
  redis_auth_token        = module.elasticache.auth_token
  admin_email             = var.admin_email
  images_bucket           = module.platform.images_bucket
}

module "platform" {
  source             = "../modules/platform"
  name               = local.name
  domain             = var.domain
  log_retention_days = var.log_retention_days
  alert_email        = var.alert_email
}

module "iam" {
  source              = "../modules/iam"
  name                = local.name
  cluster_name        = module.eks.cluster_name
  namespace           = "bazaar"
  services            = ["gateway", "identity", "catalog", "inventory", "cart", "orders", "payments", "notifications"]
  secret_prefix       = local.secret_prefix
  secrets_kms_key_arn = module.secrets.kms_key_arn
  zone_arn            = module.platform.zone_arn
  log_group_arn       = module.platform.log_group_arn
  alert_topic_arn     = module.platform.alert_topic_arn
  images_bucket_arn   = module.platform.images_bucket_arn
  images_kms_key_arn  = module.platform.images_kms_key_arn
  cluster_arn         = module.eks.cluster_arn
  node_role_arn       = module.eks.node_role_arn
  # The queue Karpenter reads (modules/eks/karpenter.tf).
  interruption_queue_arn = module.eks.interruption_queue_arn
}
