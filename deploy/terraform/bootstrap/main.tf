# The one thing an environment's Terraform cannot make for itself: the bucket its state lives in
# (environments/<env>.s3.tfbackend names it). Applied once per environment, with local state, by
# whoever first sets the environment up (docs/runbooks/deploy.md):
#   terraform init && terraform apply -var environment=prod -var region=eu-west-1
# Private, versioned (a bad apply's state can be brought back), encrypted with a key of its own,
# reachable over TLS only; the S3 lock file (use_lockfile) needs no DynamoDB table.
terraform {
  required_version = ">= 1.10"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = { Project = "bazaar", Environment = var.environment, ManagedBy = "terraform-bootstrap" }
  }
}

resource "aws_kms_key" "state" {
  description         = "bazaar-${var.environment}: Terraform state"
  enable_key_rotation = true
}

resource "aws_s3_bucket" "state" {
  bucket = "bazaar-terraform-state-${var.environment}"
  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket                  = aws_s3_bucket.state.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "state" {
  bucket = aws_s3_bucket.state.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.state.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_policy" "state" {
  bucket = aws_s3_bucket.state.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "TLSOnly"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.state.arn, "${aws_s3_bucket.state.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

variable "environment" {
  type        = string
  description = "The environment whose state the bucket keeps: dev, staging or prod."
}

variable "region" {
  type        = string
  description = "The AWS region of the bucket, as the environment's .s3.tfbackend names it."
}

output "bucket" {
  description = "The state bucket, as environments/<env>.s3.tfbackend names it."
  value       = aws_s3_bucket.state.bucket
}
