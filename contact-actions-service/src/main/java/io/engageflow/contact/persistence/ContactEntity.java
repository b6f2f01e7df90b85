package io.engageflow.contact.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.contracts.json.JsonCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A contact of a workspace with its properties and tags: a row of table {@code contact} in memory. {@link ContactStore}
 * reads and writes it with plain SQL; {@link #merge} is the one rule for folding a snapshot into it.
 */
public class ContactEntity {
    public String key;
    public String workspaceId;
    public String contactId;
    public String email;
    public String phone;
    public String firstName;
    public String lastName;
    public String propertiesJson = "{}";
    public String tagsJson = "[]";
    public Instant dataAsOf;
    public Instant updatedAt;

    public static String key(String workspaceId, String contactId) {
        return workspaceId + "/" + contactId;
    }

    public static ContactEntity create(String workspaceId, String contactId, Instant asOf) {
        ContactEntity c = new ContactEntity();
        c.key = key(workspaceId, contactId);
        c.workspaceId = workspaceId;
        c.contactId = contactId;
        c.dataAsOf = asOf;
        c.updatedAt = Instant.now();
        return c;
    }

    public Map<String, Object> properties() {
        return new LinkedHashMap<>(JsonCodec.toMap(propertiesJson));
    }

    public void properties(Map<String, Object> props) {
        propertiesJson = JsonCodec.encode(props);
    }

    public Set<String> tags() {
        return new LinkedHashSet<>(JsonCodec.read(tagsJson, new TypeReference<List<String>>() { }));
    }

    public void tags(Set<String> tags) {
        tagsJson = JsonCodec.encode(new ArrayList<>(tags));
    }

    /**
     * Merges a snapshot taken at {@code asOf}: a newer snapshot overwrites the fields it carries; an older one only
     * fills what is still empty, so it never overwrites newer data.
     */
    public void merge(ContactSnapshot s, Instant asOf) {
        boolean newer = dataAsOf == null || !asOf.isBefore(dataAsOf);
        email = pick(email, s.email(), newer);
        phone = pick(phone, s.phone(), newer);
        firstName = pick(firstName, s.firstName(), newer);
        lastName = pick(lastName, s.lastName(), newer);
        Map<String, Object> props = properties();
        s.properties().forEach((k, v) -> {
            if (newer || !props.containsKey(k)) {
                props.put(k, v);
            }
        });
        properties(props);
        if (newer) {
            dataAsOf = asOf;
        }
        updatedAt = Instant.now();
    }

    private static String pick(String current, String incoming, boolean newer) {
        if (incoming == null) {
            return current;
        }
        return newer || current == null ? incoming : current;
    }

    public ContactSnapshot snapshot() {
        return new ContactSnapshot(contactId, email, phone, firstName, lastName, properties());
    }
}
