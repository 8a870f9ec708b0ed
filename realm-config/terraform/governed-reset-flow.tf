# The governed reset flow of realm-config's production template, as Terraform (provider keycloak/keycloak >= 5.0,
# which orders executions by `priority`). Same executions, requirements, order and settings as
# src/main/resources/realms/governed-recovery-template.json: RealmFilesTest fails when the two drift apart.
#
#   terraform init && terraform apply -var realm_id=<your realm>
#
# The JAR must be in Keycloak's providers/ first (the authenticators below are ours). Settings written as $${NAME:default}
# are Keycloak's own environment-variable placeholders, resolved by the server (the $$ keeps Terraform from reading
# them). The other pieces of the template (groups, the recovery console client, required actions, the user profile's
# department attribute) are realm settings you may already manage elsewhere; import the template or add them alike.

terraform {
  required_providers {
    keycloak = {
      source  = "keycloak/keycloak"
      version = ">= 5.0.0"
    }
  }
}

variable "realm_id" {
  type        = string
  description = "The realm that gets the governed reset flow."
}

resource "keycloak_authentication_flow" "governed_reset_credentials" {
  realm_id    = var.realm_id
  alias       = "governed reset credentials"
  provider_id = "basic-flow"
}

resource "keycloak_authentication_execution" "governed_reset_credentials_governed_recovery_choose_user" {
  realm_id          = var.realm_id
  parent_flow_alias = keycloak_authentication_flow.governed_reset_credentials.alias
  authenticator     = "governed-recovery-choose-user"
  requirement       = "REQUIRED"
  priority          = 10
}

resource "keycloak_authentication_execution" "governed_reset_credentials_governed_recovery_controls" {
  realm_id          = var.realm_id
  parent_flow_alias = keycloak_authentication_flow.governed_reset_credentials.alias
  authenticator     = "governed-recovery-controls"
  requirement       = "REQUIRED"
  priority          = 15
  depends_on = [keycloak_authentication_execution.governed_reset_credentials_governed_recovery_choose_user]
}

resource "keycloak_authentication_execution_config" "governed_recovery_controls" {
  realm_id     = var.realm_id
  execution_id = keycloak_authentication_execution.governed_reset_credentials_governed_recovery_controls.id
  alias        = "governed-recovery-controls"
  config = {
    "trusted-proxies" = ""
    "deny-cidrs" = ""
    "deny-action" = "deny"
    "allow-cidrs" = ""
    "outside-allow-action" = "step-up"
    "anonymizer-list" = ""
    "anonymizer-action" = "deny"
    "starts-per-ip-hour" = "20"
    "starts-per-name-hour" = "10"
    "sends-per-user-hour" = "3"
    "sends-per-ip-hour" = "20"
    "risk-policy" = "true"
  }
}

resource "keycloak_authentication_subflow" "governed_reset_outside_the_pilot" {
  realm_id          = var.realm_id
  parent_flow_alias = keycloak_authentication_flow.governed_reset_credentials.alias
  alias             = "governed reset - outside the pilot"
  provider_id       = "basic-flow"
  requirement       = "CONDITIONAL"
  priority          = 18
  depends_on = [keycloak_authentication_execution.governed_reset_credentials_governed_recovery_controls]
}

resource "keycloak_authentication_execution" "governed_reset_outside_the_pilot_governed_recovery_pilot" {
  realm_id          = var.realm_id
  parent_flow_alias = keycloak_authentication_subflow.governed_reset_outside_the_pilot.alias
  authenticator     = "governed-recovery-pilot"
  requirement       = "REQUIRED"
  priority          = 10
}

resource "keycloak_authentication_execution_config" "governed_recovery_pilot" {
  realm_id     = var.realm_id
  execution_id = keycloak_authentication_execution.governed_reset_outside_the_pilot_governed_recovery_pilot.id
  alias        = "governed-recovery-pilot"
  config = {
    "pilot-groups" = ""
  }
}

resource "keycloak_authentication_execution" "governed_reset_outside_the_pilot_reset_credential_email" {
  realm_id          = var.realm_id
  parent_flow_alias = keycloak_authentication_subflow.governed_reset_outside_the_pilot.alias
  authenticator     = "reset-credential-email"
  requirement       = "REQUIRED"
  priority          = 20
  depends_on = [keycloak_authentication_execution.governed_reset_outside_the_pilot_governed_recovery_pilot]
}

resource "keycloak_authentication_execution" "governed_reset_credentials_governed_recovery_reset" {
  realm_id          = var.realm_id
  parent_flow_alias = keycloak_authentication_flow.governed_reset_credentials.alias
  authenticator     = "governed-recovery-reset"
  requirement       = "REQUIRED"
  priority          = 30
  depends_on = [keycloak_authentication_subflow.governed_reset_outside_the_pilot]
}

resource "keycloak_authentication_execution_config" "governed_recovery_policy" {
  realm_id     = var.realm_id
  execution_id = keycloak_authentication_execution.governed_reset_credentials_governed_recovery_reset.id
  alias        = "governed-recovery-policy"
  config = {
    "min-methods" = "2"
    "min-strong-methods" = "1"
    "cooldown-hours" = "72"
    "helpdesk-text" = "$${GR_HELPDESK_TEXT:Contact the IT helpdesk.}"
    "helpdesk-url" = "$${GR_HELPDESK_URL:}"
  }
}

resource "keycloak_authentication_subflow" "governed_reset_privileged_accounts" {
  realm_id          = var.realm_id
  parent_flow_alias = keycloak_authentication_flow.governed_reset_credentials.alias
  alias             = "governed reset - privileged accounts"
  provider_id       = "basic-flow"
  requirement       = "CONDITIONAL"
  priority          = 35
  depends_on = [keycloak_authentication_execution.governed_reset_credentials_governed_recovery_reset]
}

resource "keycloak_authentication_execution" "governed_reset_privileged_accounts_governed_recovery_privileged" {
  realm_id          = var.realm_id
  parent_flow_alias = keycloak_authentication_subflow.governed_reset_privileged_accounts.alias
  authenticator     = "governed-recovery-privileged"
  requirement       = "REQUIRED"
  priority          = 10
}

resource "keycloak_authentication_execution_config" "governed_recovery_privileged_accounts" {
  realm_id     = var.realm_id
  execution_id = keycloak_authentication_execution.governed_reset_privileged_accounts_governed_recovery_privileged.id
  alias        = "governed-recovery-privileged-accounts"
  config = {
    "break-glass-groups" = "/break-glass"
    "break-glass-attribute" = "governed-recovery.break-glass=true"
    "notify-group" = "/realm-admins"
    "break-glass-test-days" = "90"
    "break-glass-test-window-minutes" = "60"
    "privileged-groups" = "/recovery-approvers##/recovery-helpdesk"
  }
}

resource "keycloak_authentication_execution" "governed_reset_privileged_accounts_governed_recovery_reset" {
  realm_id          = var.realm_id
  parent_flow_alias = keycloak_authentication_subflow.governed_reset_privileged_accounts.alias
  authenticator     = "governed-recovery-reset"
  requirement       = "REQUIRED"
  priority          = 20
  depends_on = [keycloak_authentication_execution.governed_reset_privileged_accounts_governed_recovery_privileged]
}

resource "keycloak_authentication_execution_config" "governed_recovery_privileged_policy" {
  realm_id     = var.realm_id
  execution_id = keycloak_authentication_execution.governed_reset_privileged_accounts_governed_recovery_reset.id
  alias        = "governed-recovery-privileged-policy"
  config = {
    "branch" = "privileged"
    "self-service" = "true"
    "min-methods" = "2"
    "min-strong-methods" = "2"
    "cooldown-hours" = "72"
    "helpdesk-text" = "$${GR_HELPDESK_TEXT:Contact the IT helpdesk.}"
    "helpdesk-url" = "$${GR_HELPDESK_URL:}"
  }
}

resource "keycloak_authentication_execution" "governed_reset_privileged_accounts_governed_recovery_approval" {
  realm_id          = var.realm_id
  parent_flow_alias = keycloak_authentication_subflow.governed_reset_privileged_accounts.alias
  authenticator     = "governed-recovery-approval"
  requirement       = "REQUIRED"
  priority          = 30
  depends_on = [keycloak_authentication_execution.governed_reset_privileged_accounts_governed_recovery_reset]
}

resource "keycloak_authentication_execution_config" "governed_recovery_approval" {
  realm_id     = var.realm_id
  execution_id = keycloak_authentication_execution.governed_reset_privileged_accounts_governed_recovery_approval.id
  alias        = "governed-recovery-approval"
  config = {
    "approvers-group" = "/recovery-approvers"
    "approval-minutes" = "30"
  }
}

resource "keycloak_authentication_execution" "governed_reset_credentials_governed_recovery_new_password" {
  realm_id          = var.realm_id
  parent_flow_alias = keycloak_authentication_flow.governed_reset_credentials.alias
  authenticator     = "governed-recovery-new-password"
  requirement       = "REQUIRED"
  priority          = 40
  depends_on = [keycloak_authentication_subflow.governed_reset_privileged_accounts]
}

resource "keycloak_authentication_bindings" "governed_reset" {
  realm_id               = var.realm_id
  reset_credentials_flow = keycloak_authentication_flow.governed_reset_credentials.alias
}
