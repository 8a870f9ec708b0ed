package io.governedrecovery.events.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * TEST ONLY: checks a record against the OCSF schema files copied under {@code ocsf/1.8.0/} (unchanged; Apache 2.0,
 * LICENSE and NOTICE beside them). A record is valid when:
 * <ul>
 * <li>its {@code class_uid} names a concrete class, {@code category_uid} is that class's category and
 * {@code type_uid = class_uid * 100 + activity_id};</li>
 * <li>every attribute the class marks required (along its {@code extends} chain up to {@code base_event}, plus the
 * attributes of the profiles the record lists in {@code metadata.profiles}) is present and not null;</li>
 * <li>every attribute is one the class (or nested object) knows, profile attributes only when the record uses that
 * profile; {@code unmapped} (type {@code object}) holds anything;</li>
 * <li>every value has its dictionary type ({@code string_t}, {@code integer_t}, {@code long_t},
 * {@code timestamp_t}, {@code boolean_t}, {@code json_t}, {@code ip_t} with its pattern and length...), arrays where
 * the attribute is an array and only there;</li>
 * <li>enumerated values ({@code *_id}) are among the listed ones (the class's merged over its parents' and the
 * dictionary's), and a sibling present beside one ({@code status} beside {@code status_id}) holds that value's
 * caption, unless the value is 99 (Other), where the sibling carries the source's own word;</li>
 * <li>the class's and every object's {@code constraints} hold ({@code at_least_one}, {@code just_one});</li>
 * <li>nested objects are checked the same way against their own definitions (with their {@code extends} chain,
 * {@code objects/_entity.json} and so on).</li>
 * </ul>
 */
public final class OcsfValidator {

    public static final String VERSION = "1.8.0";
    private static final String ROOT = "ocsf/" + VERSION + "/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, JsonNode> files = new HashMap<>();
    private final JsonNode dictionary;
    private final JsonNode types;
    private final Map<String, Integer> categoryUids = new HashMap<>();
    private final Map<String, String> categoryCaptions = new HashMap<>();
    private final Map<String, JsonNode> eventsByName = new HashMap<>();
    private final Map<String, JsonNode> objectsByName = new HashMap<>();
    private final Map<Integer, Definition> classes = new HashMap<>();
    private final Map<String, Definition> objects = new HashMap<>();
    private final Map<String, Pattern> patterns = new HashMap<>();

    /** A class or object, resolved: its attributes merged along the extends chain, each with the dictionary's. */
    record Definition(String name, String caption, Map<String, JsonNode> attributes, JsonNode constraints,
                      Set<String> profiles, int uid, int categoryUid, String categoryCaption) {
    }

    private static OcsfValidator instance;

    /** The schema, read once per JVM from the test class path. */
    public static synchronized OcsfValidator load() {
        if (instance == null) {
            instance = new OcsfValidator();
        }
        return instance;
    }

    private OcsfValidator() {
        for (String line : resource("ocsf/files-" + VERSION + ".txt").split("\n")) {
            String path = line.strip();
            if (!path.isEmpty()) {
                files.put(path, json(ROOT + path));
            }
        }
        dictionary = files.get("dictionary.json").path("attributes");
        types = files.get("dictionary.json").path("types").path("attributes");
        files.get("categories.json").path("attributes").fields().forEachRemaining(c -> {
            categoryUids.put(c.getKey(), c.getValue().path("uid").asInt());
            categoryCaptions.put(c.getKey(), c.getValue().path("caption").asText());
        });
        files.forEach((path, node) -> {
            if (path.startsWith("events/")) {
                eventsByName.put(node.path("name").asText(), node);
            } else if (path.startsWith("objects/")) {
                objectsByName.put(node.path("name").asText(), node);
            }
        });
        for (String name : eventsByName.keySet()) {
            Definition d = resolveClass(name);
            if (d.uid() >= 0) {
                classes.put(d.uid(), d);
            }
        }
    }

    /** The caption of a class ("Account Change"), or null when the schema has no class of that id. */
    public String className(int classUid) {
        Definition d = classes.get(classUid);
        return d == null ? null : d.caption();
    }

    /** What is wrong with the record; empty when it is valid. */
    public List<String> validate(JsonNode record) {
        List<String> problems = new ArrayList<>();
        if (!record.isObject()) {
            problems.add("the record is not a JSON object");
            return problems;
        }
        JsonNode classUid = record.get("class_uid");
        if (classUid == null || !classUid.canConvertToInt() || !classUid.isIntegralNumber()) {
            problems.add("class_uid: missing or not an integer");
            return problems;
        }
        Definition cls = classes.get(classUid.asInt());
        if (cls == null) {
            problems.add("class_uid: " + classUid + " is no class of OCSF " + VERSION);
            return problems;
        }
        Set<String> used = new HashSet<>();
        record.path("metadata").path("profiles").forEach(p -> used.add(p.asText()));
        for (String profile : used) {
            if (!files.containsKey("profiles/" + profile + ".json")) {
                problems.add("metadata.profiles: unknown profile '" + profile + "'");
            }
        }
        checkObject("", record, cls, used, problems);
        if (record.path("category_uid").asInt(-1) != cls.categoryUid()) {
            problems.add("category_uid: " + record.path("category_uid") + " is not " + cls.categoryUid() + " ("
                    + cls.categoryCaption() + "), the category of " + cls.caption());
        }
        if (record.hasNonNull("activity_id") && record.hasNonNull("type_uid")
                && record.get("type_uid").asLong() != cls.uid() * 100L + record.get("activity_id").asLong()) {
            problems.add("type_uid: " + record.get("type_uid") + " is not class_uid * 100 + activity_id = "
                    + (cls.uid() * 100L + record.get("activity_id").asLong()));
        }
        if (record.hasNonNull("class_name") && !cls.caption().equals(record.get("class_name").asText())) {
            problems.add("class_name: '" + record.get("class_name").asText() + "' is not '" + cls.caption() + "'");
        }
        if (record.hasNonNull("category_name")
                && !cls.categoryCaption().equals(record.get("category_name").asText())) {
            problems.add("category_name: '" + record.get("category_name").asText() + "' is not '"
                    + cls.categoryCaption() + "'");
        }
        JsonNode activity = cls.attributes().get("activity_id").path("enum")
                .path(record.path("activity_id").asText());
        if (record.hasNonNull("type_name") && !activity.isMissingNode()) {
            String expected = cls.caption() + ": " + activity.path("caption").asText();
            if (!expected.equals(record.get("type_name").asText())) {
                problems.add("type_name: '" + record.get("type_name").asText() + "' is not '" + expected + "'");
            }
        }
        return problems;
    }

    private void checkObject(String at, JsonNode value, Definition def, Set<String> used, List<String> problems) {
        Map<String, JsonNode> attributes = def.attributes();
        for (Map.Entry<String, JsonNode> a : attributes.entrySet()) {
            JsonNode spec = a.getValue();
            if ("required".equals(spec.path("requirement").asText()) && applies(spec, used)
                    && (!value.has(a.getKey()) || value.get(a.getKey()).isNull())) {
                problems.add(at + a.getKey() + ": required by " + def.caption() + " but missing");
            }
        }
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode spec = attributes.get(name);
            if (spec == null) {
                problems.add(at + name + ": unknown attribute of " + def.caption() + " (put it under unmapped)");
                continue;
            }
            if (!applies(spec, used)) {
                problems.add(at + name + ": belongs to the profile '" + spec.path("profile").asText()
                        + "', which metadata.profiles does not list");
                continue;
            }
            if (field.getValue().isNull()) {
                continue;
            }
            checkValue(at + name, field.getValue(), spec, value, used, problems);
        }
        checkConstraints(at, value, def, problems);
    }

    private static boolean applies(JsonNode spec, Set<String> used) {
        JsonNode profile = spec.get("profile");
        return profile == null || profile.isNull() || used.contains(profile.asText());
    }

    private void checkConstraints(String at, JsonNode value, Definition def, List<String> problems) {
        JsonNode constraints = def.constraints();
        if (constraints == null) {
            return;
        }
        JsonNode atLeastOne = constraints.get("at_least_one");
        if (atLeastOne != null && count(value, atLeastOne) == 0) {
            problems.add((at.isEmpty() ? "" : at.substring(0, at.length() - 1) + ": ") + def.caption()
                    + " needs at least one of " + atLeastOne);
        }
        JsonNode justOne = constraints.get("just_one");
        if (justOne != null && count(value, justOne) != 1) {
            problems.add((at.isEmpty() ? "" : at.substring(0, at.length() - 1) + ": ") + def.caption()
                    + " needs exactly one of " + justOne);
        }
    }

    private static int count(JsonNode value, JsonNode names) {
        int n = 0;
        for (JsonNode name : names) {
            n += value.hasNonNull(name.asText()) ? 1 : 0;
        }
        return n;
    }

    private void checkValue(String at, JsonNode value, JsonNode spec, JsonNode parent, Set<String> used,
                            List<String> problems) {
        boolean array = spec.path("is_array").asBoolean(false);
        if (array != value.isArray()) {
            problems.add(at + ": " + (array ? "must be an array" : "must not be an array"));
            return;
        }
        if (array) {
            int i = 0;
            for (JsonNode element : value) {
                checkOne(at + "[" + i++ + "]", element, spec, parent, used, problems);
            }
        } else {
            checkOne(at, value, spec, parent, used, problems);
        }
    }

    private void checkOne(String at, JsonNode value, JsonNode spec, JsonNode parent, Set<String> used,
                          List<String> problems) {
        String type = spec.path("type").asText();
        if (type.endsWith("_t")) {
            String wrong = scalar(type, value);
            if (wrong != null) {
                problems.add(at + ": " + wrong);
                return;
            }
        } else if (type.equals("object")) {
            if (!value.isObject()) {
                problems.add(at + ": must be a JSON object");
            }
            return; // free-form: unmapped and the like
        } else {
            Definition object = object(type);
            if (object == null) {
                problems.add(at + ": the schema has no object '" + type + "'");
            } else if (!value.isObject()) {
                problems.add(at + ": must be a " + object.caption() + " object");
            } else {
                checkObject(at + ".", value, object, used, problems);
            }
            return;
        }
        JsonNode values = spec.get("enum");
        if (values != null) {
            JsonNode entry = values.get(value.asText());
            if (entry == null) {
                List<String> allowed = new ArrayList<>();
                values.fieldNames().forEachRemaining(allowed::add);
                problems.add(at + ": " + value + " is not one of " + allowed);
                return;
            }
            String sibling = spec.path("sibling").asText(null);
            if (sibling != null && parent.hasNonNull(sibling) && !"99".equals(value.asText())) {
                String caption = entry.path("caption").asText();
                if (!caption.equals(parent.get(sibling).asText())) {
                    String prefix = at.contains(".") ? at.substring(0, at.lastIndexOf('.') + 1) : "";
                    problems.add(prefix + sibling + ": '" + parent.get(sibling).asText() + "' is not '" + caption
                            + "', the caption of " + at + " " + value);
                }
            }
        }
    }

    /** Null when {@code value} is a valid {@code type}, else what is wrong. */
    private String scalar(String type, JsonNode value) {
        JsonNode t = types.get(type);
        if (t == null) {
            return "the schema has no type '" + type + "'";
        }
        switch (type) {
            case "string_t":
                return value.isTextual() ? null : "must be a string (" + type + "), is " + value.getNodeType();
            case "integer_t":
                return value.isIntegralNumber() && value.canConvertToInt() ? null
                        : "must be an integer (integer_t), is " + value;
            case "long_t":
                return value.isIntegralNumber() && value.canConvertToLong() ? null
                        : "must be an integer (long_t), is " + value;
            case "float_t":
                return value.isNumber() ? null : "must be a number (float_t), is " + value;
            case "boolean_t":
                return value.isBoolean() ? null : "must be true or false (boolean_t), is " + value;
            case "json_t":
                return null;
            default:
                break;
        }
        String base = t.path("type").asText(null);
        if (base == null) {
            return "the schema's type '" + type + "' has no base type";
        }
        String wrong = scalar(base, value);
        if (wrong != null) {
            return wrong.replace("(" + base + ")", "(" + type + ")");
        }
        if (t.has("max_len") && value.asText().length() > t.get("max_len").asInt()) {
            return "longer than " + t.get("max_len").asInt() + " characters (" + type + ")";
        }
        if (t.has("regex") && !patterns.computeIfAbsent(type, k -> Pattern.compile(t.get("regex").asText()))
                .matcher(value.asText()).find()) {
            return "'" + value.asText() + "' is not a valid " + type;
        }
        if (t.has("range") && (value.asLong() < t.get("range").get(0).asLong()
                || value.asLong() > t.get("range").get(1).asLong())) {
            return value + " is out of the range " + t.get("range") + " (" + type + ")";
        }
        JsonNode values = t.get("values");
        if (values != null) {
            for (JsonNode v : values) {
                if (v.equals(value)) {
                    return null;
                }
            }
            return value + " is not one of " + values + " (" + type + ")";
        }
        return null;
    }

    // --- resolving the schema ---

    private Definition resolveClass(String name) {
        List<JsonNode> chain = chain(name, eventsByName);
        Map<String, JsonNode> merged = new LinkedHashMap<>();
        Set<String> profiles = new HashSet<>();
        String category = null;
        for (JsonNode node : chain) {
            mergeAttributes(merged, node.path("attributes"));
            node.path("profiles").forEach(p -> profiles.add(p.asText()));
            if (node.hasNonNull("category")) {
                category = node.get("category").asText();
            }
        }
        JsonNode own = chain.get(chain.size() - 1);
        int uid = -1;
        int categoryUid = 0;
        String categoryCaption = "Uncategorized";
        if (category != null && categoryUids.containsKey(category)) {
            categoryUid = categoryUids.get(category);
            categoryCaption = categoryCaptions.get(category);
            if (own.has("uid")) {
                uid = categoryUid * 1000 + own.get("uid").asInt();
            }
        } else if (name.equals("base_event")) {
            uid = 0;
        }
        Map<String, JsonNode> attributes = withDictionary(merged);
        // base_event lists only its own ids (0); the compiled schema gives each class its own, checked in validate.
        ((ObjectNode) attributes.get("class_uid")).remove("enum");
        ((ObjectNode) attributes.get("category_uid")).remove("enum");
        return new Definition(name, own.path("caption").asText(name), attributes,
                constraints(chain), profiles, uid, categoryUid, categoryCaption);
    }

    private synchronized Definition object(String name) {
        Definition d = objects.get(name);
        if (d == null && objectsByName.containsKey(name)) {
            List<JsonNode> chain = chain(name, objectsByName);
            Map<String, JsonNode> merged = new LinkedHashMap<>();
            Set<String> profiles = new HashSet<>();
            for (JsonNode node : chain) {
                mergeAttributes(merged, node.path("attributes"));
                node.path("profiles").forEach(p -> profiles.add(p.asText()));
            }
            JsonNode own = chain.get(chain.size() - 1);
            d = new Definition(name, own.path("caption").asText(name), withDictionary(merged), constraints(chain),
                    profiles, -1, -1, null);
            objects.put(name, d);
        }
        return d;
    }

    /** The definitions from the root of the extends chain down to {@code name}. */
    private static List<JsonNode> chain(String name, Map<String, JsonNode> byName) {
        List<JsonNode> chain = new ArrayList<>();
        for (String n = name; n != null; ) {
            JsonNode node = byName.get(n);
            if (node == null) {
                throw new IllegalStateException("OCSF schema: '" + n + "' (extended by '" + name + "') is missing");
            }
            chain.add(0, node);
            n = node.hasNonNull("extends") ? node.get("extends").asText() : null;
        }
        return chain;
    }

    private static JsonNode constraints(List<JsonNode> chain) {
        JsonNode found = null;
        for (JsonNode node : chain) {
            if (node.has("constraints")) {
                found = node.get("constraints");
            }
        }
        return found;
    }

    /** Merges a definition's attributes (and the files it includes, profiles tagged as such) over {@code into}. */
    private void mergeAttributes(Map<String, JsonNode> into, JsonNode attributes) {
        JsonNode includes = attributes.get("$include");
        if (includes != null) {
            for (JsonNode include : includes) {
                String path = include.asText();
                JsonNode file = files.get(path);
                if (file == null) {
                    throw new IllegalStateException("OCSF schema: included file " + path + " is missing");
                }
                boolean profile = "profile".equals(file.path("meta").asText()) || path.startsWith("profiles/");
                file.path("attributes").fields().forEachRemaining(a -> {
                    ObjectNode spec = a.getValue().deepCopy();
                    if (profile && !spec.has("profile")) {
                        spec.put("profile", file.path("name").asText());
                    }
                    into.merge(a.getKey(), spec, OcsfValidator::deepMerge);
                });
            }
        }
        attributes.fields().forEachRemaining(a -> {
            if (!a.getKey().equals("$include")) {
                into.merge(a.getKey(), a.getValue().deepCopy(), OcsfValidator::deepMerge);
            }
        });
    }

    private Map<String, JsonNode> withDictionary(Map<String, JsonNode> merged) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        merged.forEach((name, spec) -> {
            JsonNode base = dictionary.get(name);
            if (base == null) {
                throw new IllegalStateException("OCSF schema: attribute '" + name + "' is not in the dictionary");
            }
            out.put(name, deepMerge(base.deepCopy(), spec));
        });
        return out;
    }

    /** {@code over} merged into {@code base}: objects field by field, anything else replaced (null included). */
    private static JsonNode deepMerge(JsonNode base, JsonNode over) {
        if (!(base instanceof ObjectNode b) || !over.isObject()) {
            return over.deepCopy();
        }
        ObjectNode result = b.deepCopy();
        over.fields().forEachRemaining(f -> {
            JsonNode existing = result.get(f.getKey());
            result.set(f.getKey(), existing == null ? f.getValue().deepCopy() : deepMerge(existing, f.getValue()));
        });
        return result;
    }

    private static JsonNode json(String resource) {
        try {
            return JSON.readTree(resource(resource));
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable " + resource, e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = OcsfValidator.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable " + name, e);
        }
    }
}
