package io.governedrecovery.it.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.representations.idm.ComponentRepresentation;

import jakarta.ws.rs.core.Response;

/**
 * A private OpenLDAP (Debian's slapd) directory on a free loopback port, its own configuration and database under the
 * work directory, with the users it was started with. Keycloak federates it without importing users, so Keycloak's
 * ids for them are {@code f:<component id>:<username>} (longer than 36 characters for most real usernames), as for
 * any user-storage provider that does not import.
 */
public final class LdapServer implements AutoCloseable {

    public static final String BASE = "dc=example,dc=test";
    public static final String PEOPLE = "ou=people," + BASE;
    public static final String ADMIN_DN = "cn=admin," + BASE;
    public static final String ADMIN_PASSWORD = "ldap-test-secret";

    /** A directory user: uid, mail and password. */
    public record User(String uid, String mail, String password) {
    }

    private final Path dir;
    private final int port;
    private Process process;

    private LdapServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static LdapServer start(Path workDir, List<User> users) {
        if (!Files.isExecutable(Path.of("/usr/sbin/slapd"))) {
            throw new HarnessException("The federation tests need OpenLDAP: apt-get install -y slapd "
                    + "(./run-tests.sh does this).");
        }
        LdapServer ldap = new LdapServer(workDir.resolve("ldap"), Ports.free());
        ldap.init(users);
        return ldap;
    }

    private void init(List<User> users) {
        KeycloakServer.deleteRecursively(dir);
        try {
            Files.createDirectories(dir.resolve("db"));
            Files.writeString(dir.resolve("slapd.conf"), String.join("\n",
                    "include /etc/ldap/schema/core.schema",
                    "include /etc/ldap/schema/cosine.schema",
                    "include /etc/ldap/schema/nis.schema",
                    "include /etc/ldap/schema/inetorgperson.schema",
                    "modulepath /usr/lib/ldap",
                    "moduleload back_mdb",
                    "pidfile " + dir.resolve("slapd.pid"),
                    "database mdb",
                    "maxsize 67108864",
                    "suffix \"" + BASE + "\"",
                    "rootdn \"" + ADMIN_DN + "\"",
                    "rootpw " + ADMIN_PASSWORD,
                    "directory " + dir.resolve("db"), ""), StandardCharsets.UTF_8);
            StringBuilder ldif = new StringBuilder("dn: " + BASE + "\nobjectClass: top\nobjectClass: dcObject\n"
                    + "objectClass: organization\no: Example\ndc: example\n\n"
                    + "dn: " + PEOPLE + "\nobjectClass: organizationalUnit\nou: people\n\n");
            for (User u : users) {
                ldif.append("dn: uid=").append(u.uid()).append(',').append(PEOPLE).append('\n')
                        .append("objectClass: inetOrgPerson\nuid: ").append(u.uid()).append('\n')
                        .append("cn: ").append(u.uid()).append("\nsn: ").append(u.uid()).append('\n')
                        .append("mail: ").append(u.mail()).append('\n')
                        .append("userPassword: ").append(u.password()).append("\n\n");
            }
            Files.writeString(dir.resolve("users.ldif"), ldif.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HarnessException("Cannot write the LDAP configuration: " + e.getMessage(), e);
        }
        Processes.run(List.of("/usr/sbin/slapadd", "-f", dir.resolve("slapd.conf").toString(), "-l",
                dir.resolve("users.ldif").toString()), dir.resolve("setup.log"));
        // -d 0: stay in the foreground (so this harness owns the process) without debug output.
        process = Processes.start(List.of("/usr/sbin/slapd", "-f", dir.resolve("slapd.conf").toString(), "-h",
                "ldap://127.0.0.1:" + port + "/", "-d", "0"), dir.resolve("slapd.log"));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new HarnessException("slapd exited while starting (see " + dir.resolve("slapd.log") + ")");
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new HarnessException("Interrupted while starting slapd");
                }
            }
        }
        throw new HarnessException("slapd did not listen on " + port + " within 30 s");
    }

    public String url() {
        return "ldap://127.0.0.1:" + port;
    }

    /**
     * Adds this directory to a realm as a read-only user federation that does not import users (Keycloak keeps no copy,
     * so their ids are long); emails are trusted as verified. Returns the component id.
     */
    public String federate(RealmResource realm) {
        ComponentRepresentation c = new ComponentRepresentation();
        c.setName("test-ldap");
        c.setProviderId("ldap");
        c.setProviderType("org.keycloak.storage.UserStorageProvider");
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        Map.ofEntries(
                Map.entry("enabled", "true"), Map.entry("priority", "0"), Map.entry("vendor", "other"),
                Map.entry("connectionUrl", url()), Map.entry("bindDn", ADMIN_DN),
                Map.entry("bindCredential", ADMIN_PASSWORD), Map.entry("authType", "simple"),
                Map.entry("usersDn", PEOPLE), Map.entry("usernameLDAPAttribute", "uid"),
                Map.entry("rdnLDAPAttribute", "uid"), Map.entry("uuidLDAPAttribute", "entryUUID"),
                Map.entry("userObjectClasses", "inetOrgPerson"), Map.entry("searchScope", "1"),
                Map.entry("editMode", "READ_ONLY"), Map.entry("importEnabled", "false"),
                Map.entry("trustEmail", "true"), Map.entry("pagination", "false"),
                Map.entry("syncRegistrations", "false"), Map.entry("cachePolicy", "NO_CACHE"),
                Map.entry("useTruststoreSpi", "never"), Map.entry("connectionPooling", "true"))
                .forEach(config::putSingle);
        c.setConfig(config);
        try (Response response = realm.components().add(c)) {
            if (response.getStatus() != 201) {
                throw new HarnessException("Cannot add the LDAP federation: HTTP " + response.getStatus() + " "
                        + response.readEntity(String.class));
            }
            String location = response.getLocation().getPath();
            return location.substring(location.lastIndexOf('/') + 1);
        }
    }

    @Override
    public void close() {
        Processes.stop(process, 10);
        process = null;
    }
}
