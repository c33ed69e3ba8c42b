variable "name" {
  type        = string
  description = "Name of the VPC and prefix of its resources, e.g. bazaar-prod."
}

variable "cidr" {
  type        = string
  description = "The VPC's address range, split into 16 blocks: 3 public, 3 app, 3 data."
}

variable "nat_per_zone" {
  type        = bool
  description = "One NAT gateway per zone (true, production) or a single shared one (false, cheaper)."
}
