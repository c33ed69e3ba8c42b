variable "prefix" {
  type        = string
  description = "The start of the bucket's name; AWS adds a unique end (bucket names are global)."
}

variable "description" {
  type        = string
  description = "What the bucket holds, for its KMS key."
}

variable "noncurrent_days" {
  type        = number
  description = "Days an overwritten or deleted object's old version is kept."
}

variable "expire_days" {
  type        = number
  default     = null
  description = "Days an object lives; null keeps it."
}

variable "force_destroy" {
  type        = bool
  default     = false
  description = "Whether a destroy may delete a bucket that still holds objects (scratch buckets only)."
}
