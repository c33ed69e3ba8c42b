variable "name" {
  type        = string
  description = "Repository name, e.g. bazaar."
}

variable "keep_images" {
  type        = number
  description = "How many images to keep; older ones expire (rollbacks reach this far back)."
}
