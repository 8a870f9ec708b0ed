package io.governedrecovery.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.provider.ProviderConfigProperty;

import io.governedrecovery.adminapi.GovernedRecoveryAdminFactory;
import io.governedrecovery.approval.ApprovalAuthenticatorFactory;
import io.governedrecovery.approval.ApprovalSettings;
import io.governedrecovery.controls.ControlSettings;
import io.governedrecovery.controls.PilotConditionFactory;
import io.governedrecovery.controls.RecoveryControlsAuthenticatorFactory;
import io.governedrecovery.delivery.DefaultRecoveryDeliveryFactory;
import io.governedrecovery.delivery.sms.HttpGatewaySmsSenderFactory;
import io.governedrecovery.events.RecoveryEventListenerFactory;
import io.governedrecovery.events.pipeline.PipelineSettings;
import io.governedrecovery.governance.CampaignSettings;
import io.governedrecovery.governance.ContactChangeValidatorFactory;
import io.governedrecovery.governance.RegistrationCampaignFactory;
import io.governedrecovery.governance.UpdateContactActionFactory;
import io.governedrecovery.privileged.PrivilegedAccountConditionFactory;
import io.governedrecovery.privileged.PrivilegedAccountConfig;
import io.governedrecovery.privileged.TierDefinition;
import io.governedrecovery.reset.ResetSettings;
import io.governedrecovery.settings.Setting;

/**
 * The README's settings cannot drift from the code: the reset step's table has one row per declared setting, with the
 * declared default and range, and every setting and server option any of the pack's factories shows in the admin
 * console or reads at start is named in the README.
 */
class SettingsDocumentedTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Pattern RANGE = Pattern.compile("\\d+ to \\d+");

    @Test
    void the_reset_steps_table_shows_each_declared_setting_with_its_default_and_range() throws IOException {
        declaredTable(table(section("## Recovery policy")), ResetSettings.declared());
    }

    @Test
    void the_campaigns_the_approval_steps_and_the_controls_tables_show_each_declared_setting_with_its_default_and_range()
            throws IOException {
        String campaign = section("## Registration campaign and compliance report");
        declaredTable(table(campaign.substring(campaign.indexOf("The campaign's settings"))),
                CampaignSettings.declared());
        String privileged = section("## Privileged accounts, second-person approval, break-glass accounts");
        declaredTable(table(privileged.substring(privileged.indexOf("**Second-person approval**"))),
                ApprovalSettings.declared());
        declaredTable(table(section("## Recovery controls")), ControlSettings.declared());
    }

    @Test
    void the_privileged_conditions_table_shows_its_defaults_and_the_ranges_its_checks_enforce() throws IOException {
        String privileged = section("## Privileged accounts, second-person approval, break-glass accounts");
        Map<String, String[]> rows = table(privileged.substring(privileged.indexOf("The condition's settings")));
        List<ProviderConfigProperty> fields = new PrivilegedAccountConditionFactory().getConfigProperties();
        assertThat(rows.keySet()).as("the table's rows, in the console's order")
                .containsExactlyElementsOf(fields.stream().map(ProviderConfigProperty::getName).toList());
        int ranges = 0;
        for (ProviderConfigProperty field : fields) {
            String[] row = rows.get(field.getName());
            String shown = row[1].replace("`", "").trim();
            if (field.getName().equals(PrivilegedAccountConfig.CLIENT_ROLES)) {
                assertThat(shown).contains("realm-management");
            } else if (field.getDefaultValue() != null) {
                assertThat(shown).as(field.getName() + "'s default").isEqualTo(field.getDefaultValue().toString());
            } else {
                assertThat(shown).as(field.getName() + "'s default").isEqualTo("none");
            }
            var range = RANGE.matcher(row[2]);
            if (range.find()) {
                String[] bounds = range.group().split(" to ");
                int low = Integer.parseInt(bounds[0]);
                int high = Integer.parseInt(bounds[1]);
                for (int ok : new int[] {low, high}) {
                    assertThat(TierDefinition.from(condition(field.getName(), ok))).as(field.getName() + "=" + ok)
                            .isNotNull();
                }
                for (int bad : new int[] {low - 1, high + 1}) {
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TierDefinition.from(
                            condition(field.getName(), bad))).as(field.getName() + "=" + bad)
                            .hasMessageContaining(field.getName());
                }
                ranges++;
            }
        }
        assertThat(ranges).as("rows that state a range").isEqualTo(2);
    }

    private static AuthenticatorConfigModel condition(String name, int value) {
        AuthenticatorConfigModel model = new AuthenticatorConfigModel();
        model.setConfig(Map.of(name, Integer.toString(value)));
        return model;
    }

    /** The table has one row per declared setting, in order, each with the declared default and range. */
    private static void declaredTable(Map<String, String[]> rows, List<Setting> settings) {
        List<String> declared = settings.stream().map(Setting::name).toList();
        assertThat(rows.keySet()).as("the table's rows, in the declared order").containsExactlyElementsOf(declared);
        for (Setting setting : settings) {
            String[] row = rows.get(setting.name());
            String shown = row[1].replace("`", "").trim();
            switch (setting.type()) {
                case NUMBER, FLAG, CHOICE -> assertThat(shown).as(setting.name() + "'s default").isEqualTo(
                        setting.fallback());
                case TEXT -> {
                    if (setting.fallback() != null) {
                        assertThat(shown).as(setting.name() + "'s default").isEqualTo(setting.fallback());
                    }
                }
                case CHOICES -> assertThat(shown).as(setting.name() + "'s default").isEqualTo("all installed");
                default -> assertThat(shown).as(setting.name() + "'s default").isEqualTo("none");
            }
            if (setting.type() == Setting.Type.NUMBER && RANGE.matcher(setting.allowed()).matches()) {
                assertThat(row[2]).as(setting.name() + "'s range").contains(setting.allowed());
            }
            assertThat(setting.property().getHelpText()).as(setting.name() + "'s help in the console")
                    .isNotBlank();
        }
    }

    @Test
    void the_server_options_of_the_controls_the_delivery_and_the_admin_api_show_each_declared_default_and_range()
            throws IOException {
        String controls = section("## Recovery controls");
        declaredTable(table(controls.substring(controls.indexOf("Server options of the step"))),
                RecoveryControlsAuthenticatorFactory.SERVER_OPTIONS);
        String readme = Files.readString(README);
        String heading = "### Server options (SPI options)";
        assertThat(readme).contains(heading);
        Map<String, String[]> rows = table(readme.substring(readme.indexOf(heading)));
        serverOptions(rows, "--spi-governed-recovery-delivery--default--",
                DefaultRecoveryDeliveryFactory.SERVER_OPTIONS);
        serverOptions(rows, "--spi-admin-realm-restapi-extension--governed-recovery--",
                GovernedRecoveryAdminFactory.SERVER_OPTIONS);
        // The gateway's credentials share one row (a token, or a user and password); the test below names them.
        serverOptions(rows, "--spi-governed-recovery-sms-sender--http-gateway--",
                HttpGatewaySmsSenderFactory.SERVER_OPTIONS.stream().filter(o -> o.type() != Setting.Type.SECRET
                        && !o.name().equals("basic-username")).toList());
    }

    /** Each option has its own row (prefix and name), with the declared default and, for a number, its range. */
    private static void serverOptions(Map<String, String[]> rows, String prefix, List<Setting> options) {
        for (Setting option : options) {
            String[] row = rows.get(prefix + option.name());
            assertThat(row).as("a row of its own for " + prefix + option.name()).isNotNull();
            assertThat(row[1].replace("`", "").trim()).as(option.name() + "'s default")
                    .isEqualTo(option.fallback() == null ? "none" : option.fallback());
            if (option.type() == Setting.Type.NUMBER) {
                assertThat(row[2]).as(option.name() + "'s range").contains("(" + option.allowed());
            }
        }
    }

    @Test
    void the_event_pipelines_options_table_shows_each_declared_default_and_any_range_it_states() throws IOException {
        String section = section("## Events for the security team");
        String tableStart = "| option | default | meaning |";
        assertThat(section).contains(tableStart);
        List<String> checked = new ArrayList<>();
        for (String line : section.substring(section.indexOf(tableStart)).split("\n")) {
            if (!line.startsWith("|")) {
                break;
            }
            String[] cells = line.substring(1, line.length() - 1).split("(?<!\\\\)\\|");
            String[] names = cells[0].trim().split(",\\s*");
            String[] defaults = cells[1].trim().split(",\\s*");
            for (Setting setting : PipelineSettings.declared()) {
                String named = "`" + setting.name() + "`";
                boolean inFirstCell = List.of(names).contains(named);
                if (!(inFirstCell || line.contains(named + " (`")) || setting.fallback() == null) {
                    continue;
                }
                int at = List.of(names).indexOf(named);
                String shown = inFirstCell && names.length == defaults.length ? defaults[at]
                        : between(line, named + " (`", "`)");
                assertThat(shown.replaceAll("\\(.*\\)", "").replace("`", "").trim())
                        .as(setting.name() + "'s default in: " + line).isEqualTo(setting.fallback());
                var range = RANGE.matcher(cells[2].replace(",", ""));
                if (setting.type() == Setting.Type.NUMBER && names.length == 1 && range.find()) {
                    assertThat(range.group()).as(setting.name() + "'s range").isEqualTo(setting.allowed());
                }
                checked.add(setting.name());
            }
        }
        assertThat(checked).as("options whose default the table shows").hasSizeGreaterThan(20);
    }

    private static String between(String text, String before, String after) {
        int start = text.indexOf(before);
        assertThat(start).as(before + " in " + text).isGreaterThanOrEqualTo(0);
        return text.substring(start + before.length(), text.indexOf(after, start + before.length()));
    }

    @Test
    void every_setting_and_server_option_of_the_pack_is_named_in_the_readme() throws IOException {
        String readme = Files.readString(README);
        Map<String, List<ProviderConfigProperty>> declared = new LinkedHashMap<>();
        declared.put("reset step", ResetSettings.properties(List.of("email-code")));
        declared.put("controls step", new RecoveryControlsAuthenticatorFactory().getConfigProperties());
        declared.put("controls server options", new RecoveryControlsAuthenticatorFactory().getConfigMetadata());
        declared.put("pilot condition", new PilotConditionFactory().getConfigProperties());
        declared.put("privileged condition", new PrivilegedAccountConditionFactory().getConfigProperties());
        declared.put("approval step", new ApprovalAuthenticatorFactory().getConfigProperties());
        declared.put("contact change validator", new ContactChangeValidatorFactory().getConfigProperties());
        declared.put("registration campaign", new RegistrationCampaignFactory().getConfigMetadata());
        declared.put("contact change action", new UpdateContactActionFactory.Email().getConfigMetadata());
        declared.put("delivery server options", new DefaultRecoveryDeliveryFactory().getConfigMetadata());
        declared.put("SMS gateway server options", new HttpGatewaySmsSenderFactory().getConfigMetadata());
        declared.put("event pipeline server options", new RecoveryEventListenerFactory().getConfigMetadata());
        declared.put("admin API server options", new GovernedRecoveryAdminFactory().getConfigMetadata());
        List<String> missing = new ArrayList<>();
        declared.forEach((where, properties) -> properties.forEach(p -> {
            if (!readme.contains("`" + p.getName() + "`") && !readme.contains("--" + p.getName() + "`")) {
                missing.add(where + ": " + p.getName());
            }
        }));
        assertThat(declared.values().stream().mapToInt(List::size).sum()).as("settings read").isGreaterThan(80);
        assertThat(missing).as("settings and options the README does not name").isEmpty();
    }

    /** The README's text from {@code heading} to the next heading of level 2. */
    private static String section(String heading) throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf("\n" + heading);
        assertThat(start).as(heading + " in the README").isGreaterThanOrEqualTo(0);
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    /** The first table of {@code text}: first cell (without backticks) to the row's cells. */
    private static Map<String, String[]> table(String text) {
        Map<String, String[]> rows = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("|")) {
                inTable = true;
                String[] cells = Stream.of(line.substring(1, line.length() - 1).split("(?<!\\\\)\\|"))
                        .map(String::trim).toArray(String[]::new);
                if (cells[0].startsWith("`")) {
                    rows.put(cells[0].replace("`", ""), cells);
                }
            } else if (inTable) {
                break;
            }
        }
        return rows;
    }
}
