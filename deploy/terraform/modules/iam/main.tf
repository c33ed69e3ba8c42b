# One Pod Identity role per service, allowed to read only its own secrets; and one for the
# External Secrets operator, which reads the environment's secrets into the cluster. Both decrypt
# with the secrets' key: reading a secret encrypted with a customer key needs kms:Decrypt on it.
data "aws_iam_policy_document" "pod_identity_assume" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]
    principals {
      type        = "Service"
      identifiers = ["pods.eks.amazonaws.com"]
    }
  }
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  secrets_arn = "arn:aws:secretsmanager:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:secret:${var.secret_prefix}"
  # Only through Secrets Manager: the key decrypts nothing asked of it directly.
  decrypt_secrets = {
    Effect    = "Allow"
    Action    = ["kms:Decrypt"]
    Resource  = var.secrets_kms_key_arn
    Condition = { StringEquals = { "kms:ViaService" = "secretsmanager.${data.aws_region.current.region}.amazonaws.com" } }
  }
}

resource "aws_iam_role" "service" {
  for_each           = toset(var.services)
  name               = "${var.name}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.pod_identity_assume.json
}

resource "aws_iam_role_policy" "service" {
  for_each = toset(var.services)
  name     = "own-secrets"
  role     = aws_iam_role.service[each.key].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
        Resource = "${local.secrets_arn}/${each.key}-*"
      },
      local.decrypt_secrets,
    ]
  })
}

# Catalog keeps the product images in their bucket (IMAGE_STORE=s3://…): it reads and writes the
# objects under products/, encrypting and decrypting them with the bucket's key through S3 only.
resource "aws_iam_role_policy" "catalog_images" {
  name = "product-images"
  role = aws_iam_role.service["catalog"].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject"]
        Resource = "${var.images_bucket_arn}/products/*"
      },
      # Without it, S3 answers a missing image 403 rather than 404.
      {
        Effect    = "Allow"
        Action    = ["s3:ListBucket"]
        Resource  = var.images_bucket_arn
        Condition = { StringLike = { "s3:prefix" = ["products/*"] } }
      },
      {
        Effect    = "Allow"
        Action    = ["kms:GenerateDataKey", "kms:Decrypt"]
        Resource  = var.images_kms_key_arn
        Condition = { StringEquals = { "kms:ViaService" = "s3.${data.aws_region.current.region}.amazonaws.com" } }
      },
    ]
  })
}

resource "aws_eks_pod_identity_association" "service" {
  for_each        = toset(var.services)
  cluster_name    = var.cluster_name
  namespace       = var.namespace
  service_account = each.key
  role_arn        = aws_iam_role.service[each.key].arn
}

resource "aws_iam_role" "external_secrets" {
  name               = "${var.name}-external-secrets"
  assume_role_policy = data.aws_iam_policy_document.pod_identity_assume.json
}

resource "aws_iam_role_policy" "external_secrets" {
  name = "environment-secrets"
  role = aws_iam_role.external_secrets.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
        Resource = "${local.secrets_arn}/*"
      },
      local.decrypt_secrets,
    ]
  })
}

resource "aws_eks_pod_identity_association" "external_secrets" {
  cluster_name    = var.cluster_name
  namespace       = "external-secrets"
  service_account = "external-secrets"
  role_arn        = aws_iam_role.external_secrets.arn
}

# The EBS CSI driver's controller (deploy/argocd/platform/base/aws-ebs-csi-driver.yaml) makes, attaches
# and deletes the volumes NATS keeps its stream on.
resource "aws_iam_role" "ebs_csi" {
  name               = "${var.name}-ebs-csi"
  assume_role_policy = data.aws_iam_policy_document.pod_identity_assume.json
}

resource "aws_iam_role_policy_attachment" "ebs_csi" {
  role       = aws_iam_role.ebs_csi.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
}

resource "aws_eks_pod_identity_association" "ebs_csi" {
  cluster_name    = var.cluster_name
  namespace       = "kube-system"
  service_account = "ebs-csi-controller-sa"
  role_arn        = aws_iam_role.ebs_csi.arn
}

# The platform layer's controllers (deploy/argocd/platform), each a Pod Identity role of its own
# with what it does to AWS and no more.
locals {
  platform_roles = {
    # Makes the ALB for the gateway's Ingress, its target groups and security groups, all tagged
    # with the cluster, and changes or deletes only what carries that tag.
    aws-load-balancer-controller = {
      namespace       = "kube-system"
      service_account = "aws-load-balancer-controller"
      statements = [
        {
          Effect    = "Allow"
          Action    = ["iam:CreateServiceLinkedRole"]
          Resource  = "*"
          Condition = { StringEquals = { "iam:AWSServiceName" = "elasticloadbalancing.amazonaws.com" } }
        },
        {
          Effect = "Allow"
          Action = [
            "ec2:Describe*", "ec2:GetCoipPoolUsage", "ec2:GetSecurityGroupsForVpc",
            "elasticloadbalancing:Describe*", "acm:ListCertificates", "acm:DescribeCertificate",
            "iam:ListServerCertificates", "iam:GetServerCertificate", "cognito-idp:DescribeUserPoolClient",
            "wafv2:GetWebACL", "wafv2:GetWebACLForResource", "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL",
            "wafv2:ListWebACLs",
            "shield:GetSubscriptionState", "shield:DescribeProtection", "shield:CreateProtection", "shield:DeleteProtection",
          ]
          Resource = "*"
        },
        {
          Effect    = "Allow"
          Action    = ["ec2:CreateSecurityGroup", "elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"]
          Resource  = "*"
          Condition = { Null = { "aws:RequestTag/elbv2.k8s.aws/cluster" = "false" } }
        },
        {
          Effect    = "Allow"
          Action    = ["ec2:CreateTags"]
          Resource  = "arn:aws:ec2:*:*:security-group/*"
          Condition = { StringEquals = { "ec2:CreateAction" = "CreateSecurityGroup" } }
        },
        {
          Effect = "Allow"
          Action = [
            "ec2:CreateTags", "ec2:DeleteTags", "ec2:AuthorizeSecurityGroupIngress",
            "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup",
            "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags",
            "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetIpAddressType",
            "elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets",
            "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyTargetGroup",
            "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup",
            "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets",
          ]
          Resource  = "*"
          Condition = { Null = { "aws:ResourceTag/elbv2.k8s.aws/cluster" = "false" } }
        },
        {
          # Listeners and rules carry no tag of their own: they live on the tagged load balancer.
          Effect = "Allow"
          Action = [
            "elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener",
            "elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyListenerAttributes",
            "elasticloadbalancing:AddListenerCertificates", "elasticloadbalancing:RemoveListenerCertificates",
            "elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule",
            "elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities",
            "elasticloadbalancing:SetWebAcl",
          ]
          Resource = "*"
        },
      ]
    }
    # Writes the gateway's record (and its ownership TXT record) into the shop's zone only.
    external-dns = {
      namespace       = "external-dns"
      service_account = "external-dns"
      statements = [
        { Effect = "Allow", Action = ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:ListTagsForResources"], Resource = var.zone_arn },
        { Effect = "Allow", Action = ["route53:ListHostedZones"], Resource = "*" },
      ]
    }
    aws-for-fluent-bit = {
      namespace       = "logging"
      service_account = "aws-for-fluent-bit"
      statements = [
        { Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource = "${var.log_group_arn}:*" },
        { Effect = "Allow", Action = ["logs:DescribeLogGroups"], Resource = "*" },
      ]
    }
    otel-collector = {
      namespace       = "observability"
      service_account = "otel-collector"
      statements = [
        { Effect = "Allow", Action = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"], Resource = "*" },
      ]
    }
    alertmanager = {
      namespace       = "observability"
      service_account = "alertmanager"
      statements = [
        { Effect = "Allow", Action = ["sns:Publish"], Resource = var.alert_topic_arn },
      ]
    }
    # Starts instances, fleets and launch templates only tagged as the cluster's, ends only those
    # it tagged for a NodePool, passes only the nodes' role, reads only its interruption queue.
    karpenter = {
      namespace       = "kube-system"
      service_account = "karpenter"
      statements = [
        {
          Effect    = "Allow"
          Action    = ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"]
          Resource  = "*"
          Condition = { StringEquals = { "aws:RequestTag/kubernetes.io/cluster/${var.cluster_name}" = "owned" } }
        },
        {
          Effect   = "Allow"
          Action   = ["ec2:RunInstances", "ec2:CreateFleet"]
          Resource = ["arn:aws:ec2:*::image/*", "arn:aws:ec2:*::snapshot/*", "arn:aws:ec2:*:*:subnet/*", "arn:aws:ec2:*:*:security-group/*", "arn:aws:ec2:*:*:launch-template/*", "arn:aws:ec2:*:*:capacity-reservation/*"]
        },
        {
          Effect    = "Allow"
          Action    = ["ec2:CreateTags"]
          Resource  = "*"
          Condition = { StringEquals = { "ec2:CreateAction" = ["RunInstances", "CreateFleet", "CreateLaunchTemplate"] } }
        },
        {
          Effect    = "Allow"
          Action    = ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate", "ec2:CreateTags"]
          Resource  = "*"
          Condition = { StringEquals = { "aws:ResourceTag/kubernetes.io/cluster/${var.cluster_name}" = "owned" }, StringLike = { "aws:ResourceTag/karpenter.sh/nodepool" = "*" } }
        },
        {
          Effect = "Allow"
          Action = [
            "ec2:DescribeAvailabilityZones", "ec2:DescribeImages", "ec2:DescribeInstances", "ec2:DescribeInstanceTypeOfferings",
            "ec2:DescribeInstanceTypes", "ec2:DescribeLaunchTemplates", "ec2:DescribeSecurityGroups", "ec2:DescribeSpotPriceHistory",
            "ec2:DescribeSubnets", "ec2:DescribeCapacityReservations", "pricing:GetProducts",
          ]
          Resource = "*"
        },
        { Effect = "Allow", Action = ["ssm:GetParameter"], Resource = "arn:aws:ssm:*::parameter/aws/service/*" },
        { Effect = "Allow", Action = ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"], Resource = var.interruption_queue_arn },
        {
          Effect    = "Allow"
          Action    = ["iam:PassRole"]
          Resource  = var.node_role_arn
          Condition = { StringEquals = { "iam:PassedToService" = "ec2.amazonaws.com" } }
        },
        {
          Effect = "Allow"
          Action = [
            "iam:CreateInstanceProfile", "iam:TagInstanceProfile", "iam:AddRoleToInstanceProfile",
            "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile", "iam:GetInstanceProfile", "iam:ListInstanceProfiles",
          ]
          Resource = "*"
        },
        { Effect = "Allow", Action = ["eks:DescribeCluster"], Resource = var.cluster_arn },
      ]
    }
  }
}

resource "aws_iam_role" "platform" {
  for_each           = local.platform_roles
  name               = "${var.name}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.pod_identity_assume.json
}

resource "aws_iam_role_policy" "platform" {
  for_each = local.platform_roles
  name     = each.key
  role     = aws_iam_role.platform[each.key].id
  policy   = jsonencode({ Version = "2012-10-17", Statement = each.value.statements })
}

resource "aws_eks_pod_identity_association" "platform" {
  for_each        = local.platform_roles
  cluster_name    = var.cluster_name
  namespace       = each.value.namespace
  service_account = each.value.service_account
  role_arn        = aws_iam_role.platform[each.key].arn
}
