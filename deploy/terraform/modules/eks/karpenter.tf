# What Karpenter (deploy/argocd/platform/base/karpenter.yaml) needs of AWS beside its own role
# (modules/iam): the queue it reads EC2's warnings from (named after the cluster, as its chart is
# told), the EventBridge rules that feed it, and the discovery tag on the subnets and security
# group its nodes are started in. Its nodes take the managed node group's role.
resource "aws_sqs_queue" "interruptions" {
  name                      = var.name
  message_retention_seconds = 300
  sqs_managed_sse_enabled   = true
}

data "aws_iam_policy_document" "interruptions" {
  statement {
    sid       = "EventBridge"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.interruptions.arn]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com", "sqs.amazonaws.com"]
    }
  }
  statement {
    sid       = "TlsOnly"
    effect    = "Deny"
    actions   = ["sqs:*"]
    resources = [aws_sqs_queue.interruptions.arn]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sqs_queue_policy" "interruptions" {
  queue_url = aws_sqs_queue.interruptions.url
  policy    = data.aws_iam_policy_document.interruptions.json
}

# A Spot reclaim two minutes ahead, a rebalance recommendation before it, scheduled maintenance,
# and an instance stopping or ending: Karpenter drains the node and starts its successor first.
locals {
  interruption_events = {
    spot-interruption = { source = ["aws.ec2"], detail-type = ["EC2 Spot Instance Interruption Warning"] }
    rebalance         = { source = ["aws.ec2"], detail-type = ["EC2 Instance Rebalance Recommendation"] }
    scheduled-change  = { source = ["aws.health"], detail-type = ["AWS Health Event"] }
    state-change      = { source = ["aws.ec2"], detail-type = ["EC2 Instance State-change Notification"] }
  }
}

resource "aws_cloudwatch_event_rule" "interruptions" {
  for_each      = local.interruption_events
  name          = "${var.name}-${each.key}"
  event_pattern = jsonencode(each.value)
}

resource "aws_cloudwatch_event_target" "interruptions" {
  for_each = local.interruption_events
  rule     = aws_cloudwatch_event_rule.interruptions[each.key].name
  arn      = aws_sqs_queue.interruptions.arn
}

resource "aws_ec2_tag" "subnet_discovery" {
  for_each    = toset(var.subnet_ids)
  resource_id = each.value
  key         = "karpenter.sh/discovery"
  value       = var.name
}

resource "aws_ec2_tag" "security_group_discovery" {
  resource_id = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
  key         = "karpenter.sh/discovery"
  value       = var.name
}
