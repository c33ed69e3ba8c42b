# Every secret the cluster reads (deploy/k8s/components/aws/external-secrets.yaml), generated
# here and kept only in Secrets Manager, encrypted with a key of the environment's own. Each service
# connects to PostgreSQL as a role of its own that may use its own database only; the migrations
# Job connects as the owner and makes those roles from the URLs it is given (tools/launcher
# migrate).
resource "aws_kms_key" "secrets" {
  description         = "${var.name}: the services' secrets in Secrets Manager"
  enable_key_rotation = true
}

resource "aws_kms_alias" "secrets" {
  name          = "alias/${var.name}-secrets"
  target_key_id = aws_kms_key.secrets.key_id
}

locals {
  database_services = ["identity", "catalog", "inventory", "cart", "orders", "payments", "notifications"]
  # RDS itself: for the migrations Job, which makes the roles, and the outbox relays' LISTEN.
  database_url = {
    for service in local.database_services :
    service => "postgres://bazaar_${service}:${random_password.database[service].result}@${var.database_host}:5432/bazaar_${service}?sslmode=require"
  }
  # Through PgBouncer (deploy/k8s/components/aws/pgbouncer.yaml), what the services query: inside
  # the cluster, its NetworkPolicy letting only the services in; PgBouncer speaks TLS to RDS.
  pooled_url = {
    for service in local.database_services :
    service => "postgres://bazaar_${service}:${random_password.database[service].result}@pgbouncer:6432/bazaar_${service}"
  }
  # The PostgreSQL exporter's role (pg_monitor), which the migrations Job makes too.
  monitoring_url = "postgres://bazaar_monitoring:${random_password.monitoring.result}@${var.database_host}:5432/postgres?sslmode=require"
  # Secret name (under var.secret_prefix) => the variables it holds.
  secrets = {
    migrate = {
      DATABASE_URL               = "postgres://${var.database_owner}:${var.database_owner_password}@${var.database_host}:5432/postgres?sslmode=require"
      IDENTITY_DATABASE_URL      = local.database_url["identity"]
      CATALOG_DATABASE_URL       = local.database_url["catalog"]
      INVENTORY_DATABASE_URL     = local.database_url["inventory"]
      CART_DATABASE_URL          = local.database_url["cart"]
      ORDERS_DATABASE_URL        = local.database_url["orders"]
      PAYMENTS_DATABASE_URL      = local.database_url["payments"]
      NOTIFICATIONS_DATABASE_URL = local.database_url["notifications"]
      MONITORING_DATABASE_URL    = local.monitoring_url
    }
    # The services that publish events LISTEN for their outbox's commits on RDS itself.
    identity = {
      DATABASE_URL        = local.pooled_url["identity"]
      DATABASE_LISTEN_URL = local.database_url["identity"]
      SIGNING_KEY_SECRET  = random_password.signing_key.result
      ADMIN_EMAIL         = var.admin_email
      ADMIN_PASSWORD      = random_password.admin.result
      SERVICE_CLIENTS     = "cart:${random_password.service_client["cart"].result},orders:${random_password.service_client["orders"].result}"
    }
    catalog = {
      DATABASE_URL        = local.pooled_url["catalog"]
      DATABASE_LISTEN_URL = local.database_url["catalog"]
      IMAGE_STORE         = "s3://${var.images_bucket}"
      IMAGE_S3_REGION     = data.aws_region.current.region
    }
    inventory = {
      DATABASE_URL        = local.pooled_url["inventory"]
      DATABASE_LISTEN_URL = local.database_url["inventory"]
    }
    cart = {
      DATABASE_URL          = local.pooled_url["cart"]
      SERVICE_CLIENT_SECRET = random_password.service_client["cart"].result
    }
    orders = {
      DATABASE_URL          = local.pooled_url["orders"]
      DATABASE_LISTEN_URL   = local.database_url["orders"]
      SERVICE_CLIENT_SECRET = random_password.service_client["orders"].result
    }
    payments = {
      DATABASE_URL           = local.pooled_url["payments"]
      DATABASE_LISTEN_URL    = local.database_url["payments"]
      PAYMENT_WEBHOOK_SECRET = random_password.webhook.result
    }
    notifications = {
      DATABASE_URL = local.pooled_url["notifications"]
      # Amazon SES's SMTP interface, signed in as the sending user below.
      SMTP_URL = "smtps://${aws_iam_access_key.smtp.id}:${urlencode(aws_iam_access_key.smtp.ses_smtp_password_v4)}@email-smtp.${data.aws_region.current.region}.amazonaws.com:465"
    }
    # PgBouncer's files: each service's role and password (it signs in to RDS with them, by
    # SCRAM), and RDS as the home of every database.
    pgbouncer = {
      "userlist.txt"  = join("", [for service in local.database_services : "\"bazaar_${service}\" \"${random_password.database[service].result}\"\n"])
      "databases.ini" = "[databases]\n* = host=${var.database_host} port=5432\n"
    }
    redis             = { REDIS_URL = "rediss://:${var.redis_auth_token}@${var.redis_host}:6379" }
    postgres-exporter = { DATA_SOURCE_NAME = local.monitoring_url }
  }
  # for_each may not range over values derived from secrets: the names, spelled out.
  secret_names = ["migrate", "identity", "catalog", "inventory", "cart", "orders", "payments", "notifications", "pgbouncer", "redis", "postgres-exporter"]
}

resource "random_password" "database" {
  for_each = toset(local.database_services)
  length   = 32
  special  = false
}

resource "random_password" "monitoring" {
  length  = 32
  special = false
}

resource "random_password" "signing_key" {
  length  = 64
  special = false
}

resource "random_password" "admin" {
  length  = 24
  special = false
}

# Cart and orders call identity for service tokens; identity holds both secrets.
resource "random_password" "service_client" {
  for_each = toset(["cart", "orders"])
  length   = 48
  special  = false
}

resource "random_password" "webhook" {
  length  = 48
  special = false
}

# Receipts go out through SES, which takes SMTP only from an IAM user's key; the user may send and
# nothing else. Its sending domain is verified in SES outside this module.
data "aws_region" "current" {}

resource "aws_iam_user" "smtp" {
  name = "${var.name}-smtp"
}

resource "aws_iam_user_policy" "smtp" {
  name = "send-mail"
  user = aws_iam_user.smtp.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["ses:SendRawEmail"], Resource = "*" }]
  })
}

resource "aws_iam_access_key" "smtp" {
  user = aws_iam_user.smtp.name
}

resource "aws_secretsmanager_secret" "this" {
  for_each   = toset(local.secret_names)
  name       = "${var.secret_prefix}/${each.key}"
  kms_key_id = aws_kms_key.secrets.arn
}

resource "aws_secretsmanager_secret_version" "this" {
  for_each      = toset(local.secret_names)
  secret_id     = aws_secretsmanager_secret.this[each.key].id
  secret_string = jsonencode(local.secrets[each.key])
}
