package io.governedrecovery.it.harness;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Checks that every class, method and field a JAR's classes refer to exists, with the same descriptor, in a Keycloak
 * distribution's libraries (or the JDK): what the JVM checks lazily, one call at a time, when a request first runs
 * the code. A reference to a member that moved to a new super-interface, or to a method only a later Keycloak has, is
 * listed here instead of failing a user's reset with a NoSuchMethodError.
 */
public final class Linkage {

    private static final int ACC_VARARGS = 0x0080;
    private static final int ACC_NATIVE = 0x0100;

    /** Where each library class is; read only when a reference needs it. */
    private final Map<String, JarFile> libraries = new HashMap<>();
    private final Map<String, byte[]> ours = new HashMap<>();
    private final Map<String, ClassInfo> parsed = new HashMap<>();

    private Linkage() {
    }

    /** The references of {@code jar}'s classes under {@code packagePrefix} that nothing in {@code libDir} or the JDK resolves. */
    public static Set<String> unresolved(Path jar, Path libDir, String packagePrefix) {
        Linkage linkage = new Linkage();
        readJar(jar, linkage.ours);
        List<JarFile> open = new ArrayList<>();
        try (Stream<Path> files = Files.walk(libDir)) {
            for (Path lib : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                JarFile file = new JarFile(lib.toFile());
                open.add(file);
                for (JarEntry entry : java.util.Collections.list(file.entries())) {
                    String name = className(entry);
                    if (name != null) {
                        linkage.libraries.putIfAbsent(name, file);
                    }
                }
            }
            Set<String> missing = new TreeSet<>();
            String prefix = packagePrefix.replace('.', '/');
            linkage.ours.forEach((name, bytes) -> {
                if (name.startsWith(prefix)) {
                    linkage.check(name, ClassInfo.parse(bytes), missing);
                }
            });
            return missing;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (JarFile file : open) {
                try {
                    file.close();
                } catch (IOException e) {
                    // read-only; nothing lost
                }
            }
        }
    }

    private void check(String from, ClassInfo info, Set<String> missing) {
        for (String type : info.classRefs) {
            String element = type.replaceFirst("^\\[+", "");
            if (element.length() == 1) {
                continue; // a primitive array
            }
            if (element.startsWith("L") && element.endsWith(";")) {
                element = element.substring(1, element.length() - 1);
            }
            if (info(element) == null) {
                missing.add("class " + element + " (used by " + from + ")");
            }
        }
        for (MemberRef ref : info.memberRefs) {
            if (ref.owner.startsWith("[")) {
                continue; // clone() of an array
            }
            if (!resolves(ref, ref.owner, new HashSet<>())) {
                missing.add(ref.owner + "." + ref.name + (ref.field ? ":" : "") + ref.descriptor + " (used by " + from
                        + ")");
            }
        }
    }

    private boolean resolves(MemberRef ref, String owner, Set<String> seen) {
        if (!seen.add(owner)) {
            return false;
        }
        ClassInfo info = info(owner);
        if (info == null) {
            return false;
        }
        for (Member member : ref.field ? info.fields : info.methods) {
            if (member.name.equals(ref.name) && (member.descriptor.equals(ref.descriptor)
                    || signaturePolymorphic(owner, member))) {
                return true;
            }
        }
        List<String> supers = new ArrayList<>(info.interfaces);
        if (info.superName != null) {
            supers.add(0, info.superName);
        }
        for (String type : supers) {
            if (resolves(ref, type, seen)) {
                return true;
            }
        }
        return false;
    }

    private static boolean signaturePolymorphic(String owner, Member member) {
        return (owner.equals("java/lang/invoke/MethodHandle") || owner.equals("java/lang/invoke/VarHandle"))
                && (member.access & (ACC_VARARGS | ACC_NATIVE)) == (ACC_VARARGS | ACC_NATIVE);
    }

    private ClassInfo info(String name) {
        if (parsed.containsKey(name)) {
            return parsed.get(name);
        }
        byte[] bytes = ours.get(name);
        try {
            if (bytes == null && libraries.containsKey(name)) {
                JarFile file = libraries.get(name);
                try (InputStream in = file.getInputStream(file.getJarEntry(name + ".class"))) {
                    bytes = in.readAllBytes();
                }
            }
            if (bytes == null) {
                try (InputStream jdk = ClassLoader.getSystemResourceAsStream(name + ".class")) {
                    bytes = jdk == null ? null : jdk.readAllBytes();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read class " + name, e);
        }
        ClassInfo info = bytes == null ? null : ClassInfo.parse(bytes);
        parsed.put(name, info);
        return info;
    }

    /** The internal name of a class entry of a JAR, or null for anything else. */
    private static String className(JarEntry entry) {
        String name = entry.getName();
        if (!name.endsWith(".class") || name.startsWith("META-INF/") || name.endsWith("module-info.class")) {
            return null;
        }
        return name.substring(0, name.length() - ".class".length());
    }

    private static void readJar(Path jar, Map<String, byte[]> into) {
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : java.util.Collections.list(file.entries())) {
                String name = className(entry);
                if (name != null) {
                    try (InputStream in = file.getInputStream(entry)) {
                        into.put(name, in.readAllBytes());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + jar, e);
        }
    }

    private record MemberRef(String owner, String name, String descriptor, boolean field) {
    }

    private record Member(int access, String name, String descriptor) {
    }

    /** What a class file says about itself and what it refers to (JVMS chapter 4, constant pool and members). */
    private static final class ClassInfo {
        String superName;
        final List<String> interfaces = new ArrayList<>();
        final List<Member> fields = new ArrayList<>();
        final List<Member> methods = new ArrayList<>();
        final List<String> classRefs = new ArrayList<>();
        final List<MemberRef> memberRefs = new ArrayList<>();

        static ClassInfo parse(byte[] bytes) {
            try {
                return read(new DataInputStream(new ByteArrayInputStream(bytes)));
            } catch (IOException e) {
                throw new UncheckedIOException("Not a class file", e);
            }
        }

        private static ClassInfo read(DataInputStream in) throws IOException {
            ClassInfo info = new ClassInfo();
            in.readInt();
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            Object[] pool = new Object[count];
            int[][] refs = new int[count][];
            int[] tags = new int[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                tags[i] = tag;
                switch (tag) {
                    case 1 -> pool[i] = in.readUTF();
                    case 3, 4 -> in.readInt();
                    case 5, 6 -> {
                        in.readLong();
                        i++;
                    }
                    case 7, 8, 16, 19, 20 -> refs[i] = new int[] {in.readUnsignedShort()};
                    case 9, 10, 11, 12, 17, 18 -> refs[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                    case 15 -> refs[i] = new int[] {in.readUnsignedByte(), in.readUnsignedShort()};
                    default -> throw new IOException("constant pool tag " + tag);
                }
            }
            for (int i = 1; i < count; i++) {
                switch (tags[i]) {
                    case 7 -> info.classRefs.add((String) pool[refs[i][0]]);
                    case 9, 10, 11 -> {
                        int[] nameAndType = refs[refs[i][1]];
                        info.memberRefs.add(new MemberRef((String) pool[refs[refs[i][0]][0]],
                                (String) pool[nameAndType[0]], (String) pool[nameAndType[1]], tags[i] == 9));
                    }
                    default -> {
                        // not a reference to another class's member
                    }
                }
            }
            in.readUnsignedShort();
            in.readUnsignedShort();
            int superIndex = in.readUnsignedShort();
            info.superName = superIndex == 0 ? null : (String) pool[refs[superIndex][0]];
            int interfaces = in.readUnsignedShort();
            for (int i = 0; i < interfaces; i++) {
                info.interfaces.add((String) pool[refs[in.readUnsignedShort()][0]]);
            }
            readMembers(in, pool, info.fields);
            readMembers(in, pool, info.methods);
            return info;
        }

        private static void readMembers(DataInputStream in, Object[] pool, List<Member> into) throws IOException {
            int members = in.readUnsignedShort();
            for (int i = 0; i < members; i++) {
                int access = in.readUnsignedShort();
                String name = (String) pool[in.readUnsignedShort()];
                String descriptor = (String) pool[in.readUnsignedShort()];
                into.add(new Member(access, name, descriptor));
                int attributes = in.readUnsignedShort();
                for (int a = 0; a < attributes; a++) {
                    in.readUnsignedShort();
                    in.skipBytes(in.readInt());
                }
            }
        }
    }
}
