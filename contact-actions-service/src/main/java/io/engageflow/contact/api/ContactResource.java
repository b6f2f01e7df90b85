package io.engageflow.contact.api;

import io.engageflow.common.auth.Allowed;
import io.engageflow.contracts.auth.Role;
import io.engageflow.common.api.ApiException;
import io.engageflow.contact.persistence.ContactEntity;
import io.engageflow.contact.persistence.ContactStore;
import io.engageflow.contact.persistence.ListMemberStore;
import io.engageflow.contact.persistence.MessageStore;
import io.engageflow.contracts.ContactSnapshot;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Contact data API of CONTRACT.md: upsert and read contacts, list members, messages sent. */
@Path("/api/workspaces/{ws}")
@Produces(MediaType.APPLICATION_JSON)
public class ContactResource {
    private final Pool pool;
    private final ContactStore contacts;
    private final ListMemberStore members;
    private final MessageStore messages;

    public ContactResource(Pool pool, ContactStore contacts, ListMemberStore members, MessageStore messages) {
        this.pool = pool;
        this.contacts = contacts;
        this.members = members;
        this.messages = messages;
    }

    /** Upsert: the fields given replace the stored ones (an admin's write is the newest data). */
    @Allowed(Role.ADMIN)
    @PUT
    @Path("/contacts/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> upsert(@PathParam("ws") String ws, @PathParam("id") String id,
                                           ContactSnapshot body) {
        if (body == null) {
            throw ApiException.badRequest("a contact body is required", List.of());
        }
        ContactSnapshot snapshot = new ContactSnapshot(id, body.email(), body.phone(), body.firstName(),
                body.lastName(), body.properties());
        return pool.withTransaction(tx -> contacts.merge(tx, ws, snapshot, Instant.now(), c -> { })
                .chain(c -> view(tx, c)));
    }

    @Allowed(Role.READER)
    @GET
    @Path("/contacts/{id}")
    public Uni<Map<String, Object>> get(@PathParam("ws") String ws, @PathParam("id") String id) {
        return contacts.find(pool, ws, id).chain(c -> {
            if (c == null) {
                throw ApiException.notFound("contact " + id);
            }
            return view(pool, c);
        });
    }

    @Allowed(Role.READER)
    @GET
    @Path("/lists/{list}/members")
    public Uni<List<String>> members(@PathParam("ws") String ws, @PathParam("list") String list) {
        return members.members(pool, ws, list);
    }

    @Allowed(Role.READER)
    @GET
    @Path("/contacts/{id}/messages")
    public Uni<List<Map<String, Object>>> messages(@PathParam("ws") String ws, @PathParam("id") String id) {
        return messages.ofContact(pool, ws, id).map(rows -> rows.stream().map(m -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", m.id());
            v.put("channel", m.channel());
            v.put("to", m.recipient());
            v.put("subject", m.subject());
            v.put("body", m.body());
            v.put("providerMessageId", m.providerMessageId());
            v.put("commandId", m.commandId());
            v.put("sentAt", m.sentAt());
            return v;
        }).toList());
    }

    private Uni<Map<String, Object>> view(SqlClient client, ContactEntity c) {
        return members.listsOf(client, c.workspaceId, c.contactId).map(lists -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", c.contactId);
            v.put("email", c.email);
            v.put("phone", c.phone);
            v.put("firstName", c.firstName);
            v.put("lastName", c.lastName);
            v.put("properties", c.properties());
            v.put("tags", c.tags());
            v.put("lists", lists);
            return v;
        });
    }
}
