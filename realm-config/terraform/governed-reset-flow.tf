# The governed reset flow of realm-config/src/main/resources/realms/governed-recovery-template.json as Terraform, with
# the Keycloak provider (registry: keycloak/keycloak). Same steps, same order, same settings; RealmFilesTest checks that
# this file and the template agree. The realm itself (its themes, event listener, user profile, groups) stays in the
# realm file or in your own realm resource; set var.realm_id to it. Our JAR must be in Keycloak's providers/.
#
# Order: Keycloak appends each execution to its flow when it is created, so each one depends on the one before.

terraform {
  required_providers {
    keycloak = {
      source = "keycloak/keycloak"
    }
  }
}

variable "realm_id" {
  type        = string
  description = "The realm (its name) the governed reset flow is created in and bound to."
}

variable "helpdesk_text" {
  type    = string
  default = "Contact the IT helpdesk."
}

variable "helpdesk_url" {
  type    = string
  default = ""
}

resource "keycloak_authentication_flow" "governed_reset" {
  realm_id    = var.realm_id
  alias       = "governed reset credentials"
  description = "Reset a password only after several independent methods were proven (Governed Recovery)."
  provider_id = "basic-flow"
}

resource "keycloak_authentication_execution" "choose_user" {
  realm_id          = var.realm_id
  parent_flow_alias = keycloak_authentication_flow.governed_reset.alias
  authenticator     = "governed-recovery-choose-user"
  requirement       = "REQUIRED"
}

resource "keycloak_authentication_execution" "controls" {
  realm_id          = var.realm_id
  parent_flow_alias = keycloak_authentication_flow.governed_reset.alias
  authenticator     = "governed-recovery-controls"
  requirement       = "REQUIRED"
  depends_on        = [keycloak_authentication_execution.choose_user]
}

resource "keycloak_authentication_execution_config" "controls" {
  realm_id     = var.realm_id
  execution_id = keycloak_authentication_execution.controls.id
  alias        = "governed-recovery-controls"
  config = {
    # With Keycloak's --proxy-headers (README, "Production") this fallback is ignored: leave it empty.
    "trusted-proxies"      = ""
    "deny-cidrs"           = ""
    "deny-action"          = "deny"
    "allow-cidrs"          = ""
    "outside-allow-action" = "step-up"
    "anonymizer-list"      = ""
    "anonymizer-action"    = "deny"
    "starts-per-ip-hour"   = "20"
    "starts-per-name-hour" = "10"
    "sends-per-user-hour"  = "3"
    "sends-per-ip-hour"    = "20"
    "risk-policy"          = "true"
  }
}

resource "keycloak_authentication_subflow" "outside_pilot" {
  realm_id          = var.realm_id
  parent_flow_alias = keycloak_authentication_flow.governed_reset.alias
  alias             = "governed reset - outside the pilot"
  description       = "While the governed reset is piloted: accounts outside the pilot groups keep the realm's fallback (Keycloak's email link). Inactive while the pilot groups are empty."
  provider_id       = "basic-flow"
  requirement       = "CONDITIONAL"
  depends_on        = [keycloak_authentication_execution.controls]
}

resource "keycloak_authentication_execution" "pilot" {
  realm_id          = var.realm_id
  parent_flow_alias = keycloak_authentication_subflow.outside_pilot.alias
  authenticator     = "governed-recovery-pilot"
  requirement       = "REQUIRED"
}

resource "keycloak_authentication_execution_config" "pilot" {
  realm_id     = var.realm_id
  execution_id = keycloak_authentication_execution.pilot.id
  alias        = "governed-recovery-pilot"
  config = {
    "pilot-groups" = ""
  }
}

resource "keycloak_authentication_execution" "pilot_fallback" {
  realm_id          = var.realm_id
  parent_flow_alias = keycloak_authentication_subflow.outside_pilot.alias
  authenticator     = "reset-credential-email"
  requirement       = "REQUIRED"
  depends_on        = [keycloak_authentication_execution.pilot]
}

resource "keycloak_authentication_execution" "reset" {
  realm_id          = var.realm_id
  parent_flow_alias = keycloak_authentication_flow.governed_reset.alias
  authenticator     = "governed-recovery-reset"
  requirement       = "REQUIRED"
  depends_on        = [keycloak_authentication_subflow.outside_pilot]
}

resource "keycloak_authentication_execution_config" "policy" {
  realm_id     = var.realm_id
  execution_id = keycloak_authentication_execution.reset.id
  alias        = "governed-recovery-policy"
  config = {
    "min-methods"        = "2"
    "min-strong-methods" = "1"
    "cooldown-hours"     = "72"
    "helpdesk-text"      = var.helpdesk_text
    "helpdesk-url"       = var.helpdesk_url
  }
}

resource "keycloak_authentication_subflow" "privileged" {
  realm_id          = var.realm_id
  parent_flow_alias = keycloak_authentication_flow.governed_reset.alias
  alias             = "governed reset - privileged accounts"
  description       = "Privileged accounts: the main reset step held them to this branch's policy (the settings of the reset step here); a second person approves before the new password."
  provider_id       = "basic-flow"
  requirement       = "CONDITIONAL"
  depends_on        = [keycloak_authentication_execution.reset]
}

resource "keycloak_authentication_execution" "privileged_condition" {
  realm_id          = var.realm_id
  parent_flow_alias = keycloak_authentication_subflow.privileged.alias
  authenticator     = "governed-recovery-privileged"
  requirement       = "REQUIRED"
}

resource "keycloak_authentication_execution_config" "privileged_accounts" {
  realm_id     = var.realm_id
  execution_id = keycloak_authentication_execution.privileged_condition.id
  alias        = "governed-recovery-privileged-accounts"
  config = {
    "break-glass-groups"              = "/break-glass"
    "break-glass-attribute"           = "governed-recovery.break-glass=true"
    "notify-group"                    = "/realm-admins"
    "break-glass-test-days"           = "90"
    "break-glass-test-window-minutes" = "60"
    "privileged-groups"               = "/recovery-approvers##/recovery-helpdesk"
  }
}

resource "keycloak_authentication_execution" "privileged_reset" {
  realm_id          = var.realm_id
  parent_flow_alias = keycloak_authentication_subflow.privileged.alias
  authenticator     = "governed-recovery-reset"
  requirement       = "REQUIRED"
  depends_on        = [keycloak_authentication_execution.privileged_condition]
}

resource "keycloak_authentication_execution_config" "privileged_policy" {
  realm_id     = var.realm_id
  execution_id = keycloak_authentication_execution.privileged_reset.id
  alias        = "governed-recovery-privileged-policy"
  config = {
    "branch"             = "privileged"
    "self-service"       = "true"
    "min-methods"        = "2"
    "min-strong-methods" = "2"
    "cooldown-hours"     = "72"
    "helpdesk-text"      = var.helpdesk_text
    "helpdesk-url"       = var.helpdesk_url
  }
}

resource "keycloak_authentication_execution" "approval" {
  realm_id          = var.realm_id
  parent_flow_alias = keycloak_authentication_subflow.privileged.alias
  authenticator     = "governed-recovery-approval"
  requirement       = "REQUIRED"
  depends_on        = [keycloak_authentication_execution.privileged_reset]
}

resource "keycloak_authentication_execution_config" "approval" {
  realm_id     = var.realm_id
  execution_id = keycloak_authentication_execution.approval.id
  alias        = "governed-recovery-approval"
  config = {
    "approvers-group"  = "/recovery-approvers"
    "approval-minutes" = "30"
  }
}

resource "keycloak_authentication_execution" "new_password" {
  realm_id          = var.realm_id
  parent_flow_alias = keycloak_authentication_flow.governed_reset.alias
  authenticator     = "governed-recovery-new-password"
  requirement       = "REQUIRED"
  depends_on        = [keycloak_authentication_subflow.privileged]
}

resource "keycloak_authentication_bindings" "reset_credentials" {
  realm_id               = var.realm_id
  reset_credentials_flow = keycloak_authentication_flow.governed_reset.alias
  depends_on             = [keycloak_authentication_execution.new_password]
}
