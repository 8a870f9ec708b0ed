package io.governedrecovery.settings;

/** A configuration value out of range: names the setting, the value and what is allowed. */
public final class InvalidSetting extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidSetting(String setting, String value, String allowed) {
        super("Setting '" + setting + "' has value '" + value + "'; allowed: " + allowed);
    }
}
