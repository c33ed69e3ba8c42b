# What the cluster's platform layer (deploy/argocd/platform) needs from AWS: the shop's DNS zone
# (ExternalDNS writes the gateway's record there), the certificate the ALB presents (the AWS Load
# Balancer Controller finds it by the Ingress's host), the web ACL in front of the ALB (the
# controller attaches it by name), the log group Fluent Bit ships containers' logs to (and the key
# of every log group), the topic Alertmanager pages through, and the bucket of product images.
resource "aws_route53_zone" "shop" {
  name = var.domain
}

# Issued once the zone is delegated (docs/runbooks/deploy.md): nothing here waits for it, so a first
# apply finishes, and the ALB serves HTTPS from the moment the certificate is issued.
resource "aws_acm_certificate" "shop" {
  domain_name       = var.domain
  validation_method = "DNS"
  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "certificate_validation" {
  for_each = {
    for option in aws_acm_certificate.shop.domain_validation_options : option.domain_name => option
  }
  zone_id = aws_route53_zone.shop.zone_id
  name    = each.value.resource_record_name
  type    = each.value.resource_record_type
  records = [each.value.resource_record_value]
  ttl     = 300
}

resource "aws_kms_key" "logs" {
  description         = "${var.name}: the environment's log groups in CloudWatch Logs"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Effect    = "Allow"
        Principal = { Service = "logs.${data.aws_region.current.region}.amazonaws.com" }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
        Resource  = "*"
        # The environment's log groups: the containers' and the EKS control plane's.
        Condition = { ArnLike = { "kms:EncryptionContext:aws:logs:arn" = [
          "arn:aws:logs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:log-group:${local.log_group}",
          "arn:aws:logs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:log-group:/aws/eks/${var.name}/*",
        ] } }
      },
    ]
  })
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  log_group = "/${var.name}/containers"
}

resource "aws_cloudwatch_log_group" "containers" {
  name              = local.log_group
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
}

resource "aws_sns_topic" "alerts" {
  name              = "${var.name}-alerts"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_sns_topic_subscription" "alerts" {
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = var.alert_email
}

# In front of the ALB (deploy/k8s/components/aws/ingress.yaml names it): AWS's managed rules for
# common exploits, known bad inputs and addresses of bad reputation, and a rate limit per client
# address, above what the gateway's own limits let through.
resource "aws_wafv2_web_acl" "edge" {
  name  = "${var.name}-edge"
  scope = "REGIONAL"

  default_action {
    allow {}
  }

  dynamic "rule" {
    for_each = {
      AWSManagedRulesAmazonIpReputationList = 1
      AWSManagedRulesCommonRuleSet          = 2
      AWSManagedRulesKnownBadInputsRuleSet  = 3
    }
    content {
      name     = rule.key
      priority = rule.value
      override_action {
        none {}
      }
      statement {
        managed_rule_group_statement {
          vendor_name = "AWS"
          name        = rule.key
        }
      }
      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = rule.key
        sampled_requests_enabled   = true
      }
    }
  }

  rule {
    name     = "rate-per-address"
    priority = 10
    action {
      block {}
    }
    statement {
      rate_based_statement {
        limit              = var.requests_per_address_per_5_minutes
        aggregate_key_type = "IP"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "rate-per-address"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "${var.name}-edge"
    sampled_requests_enabled   = true
  }
}

# Product images (the catalog's, through the S3 API): every version kept for a month, so a deleted
# image can be brought back.
module "images" {
  source          = "../bucket"
  prefix          = "${var.name}-images-"
  description     = "${var.name}: product images in S3"
  noncurrent_days = 30
}
