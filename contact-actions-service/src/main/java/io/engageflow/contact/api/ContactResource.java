package io.engageflow.contact.api;

import io.engageflow.common.api.ApiException;
import io.engageflow.contact.persistence.ContactEntity;
import io.engageflow.contact.persistence.ListMember;
import io.engageflow.contact.persistence.SentMessage;
import io.engageflow.contracts.ContactSnapshot;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
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

    /** Upsert: the fields given replace the stored ones (an admin's write is the newest data). */
    @PUT
    @Path("/contacts/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    public Uni<Map<String, Object>> upsert(@PathParam("ws") String ws, @PathParam("id") String id,
                                           ContactSnapshot body) {
        if (body == null) {
            throw ApiException.badRequest("a contact body is required", List.of());
        }
        Instant now = Instant.now();
        ContactSnapshot snapshot = new ContactSnapshot(id, body.email(), body.phone(), body.firstName(),
                body.lastName(), body.properties());
        return ContactEntity.findForUpdate(ws, id).chain(existing -> {
            ContactEntity c = existing != null ? existing : ContactEntity.create(ws, id, now);
            c.merge(snapshot, now);
            return (existing != null ? Uni.createFrom().item(c) : c.persist()).chain(() -> view(c));
        });
    }

    @GET
    @Path("/contacts/{id}")
    @WithSession
    public Uni<Map<String, Object>> get(@PathParam("ws") String ws, @PathParam("id") String id) {
        return ContactEntity.<ContactEntity>findById(ContactEntity.key(ws, id)).chain(c -> {
            if (c == null) {
                throw ApiException.notFound("contact " + id);
            }
            return view(c);
        });
    }

    @GET
    @Path("/lists/{list}/members")
    @WithSession
    public Uni<List<String>> members(@PathParam("ws") String ws, @PathParam("list") String list) {
        return ListMember.<ListMember>list("workspaceId = ?1 and listName = ?2 order by addedAt", ws, list)
                .map(rows -> rows.stream().map(m -> m.contactId).toList());
    }

    @GET
    @Path("/contacts/{id}/messages")
    @WithSession
    public Uni<List<Map<String, Object>>> messages(@PathParam("ws") String ws, @PathParam("id") String id) {
        return SentMessage.<SentMessage>list("workspaceId = ?1 and contactId = ?2", Sort.descending("sentAt"), ws, id)
                .map(rows -> rows.stream().map(m -> {
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("id", m.id);
                    v.put("channel", m.channel);
                    v.put("to", m.recipient);
                    v.put("subject", m.subject);
                    v.put("body", m.body);
                    v.put("providerMessageId", m.providerMessageId);
                    v.put("commandId", m.commandId);
                    v.put("sentAt", m.sentAt);
                    return v;
                }).toList());
    }

    private static Uni<Map<String, Object>> view(ContactEntity c) {
        return ListMember.<ListMember>list("workspaceId = ?1 and contactId = ?2 order by listName", c.workspaceId,
                c.contactId).map(lists -> {
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("id", c.contactId);
                    v.put("email", c.email);
                    v.put("phone", c.phone);
                    v.put("firstName", c.firstName);
                    v.put("lastName", c.lastName);
                    v.put("properties", c.properties());
                    v.put("tags", c.tags());
                    v.put("lists", lists.stream().map(m -> m.listName).toList());
                    return v;
                });
    }
}
