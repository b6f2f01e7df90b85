package io.engageflow.reward.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import io.engageflow.contracts.json.JsonCodec;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a contact holds besides coupons. Loaded row-locked for every change, so concurrent commands for one contact
 * apply one after the other (points never go negative, a balance is never lost to a race).
 */
@Entity
@Table(name = "reward_profile")
public class RewardProfile extends PanacheEntityBase {
    @Id
    public String key;
    @Column(name = "workspace_id")
    public String workspaceId;
    @Column(name = "contact_id")
    public String contactId;
    public long points;
    public String tier;
    @Column(name = "achievements_json")
    public String achievementsJson = "[]";
    @Column(name = "entries_json")
    public String entriesJson = "{}";
    @Column(name = "cards_json")
    public String cardsJson = "[]";
    @Column(name = "scores_json")
    public String scoresJson = "[]";
    @Column(name = "updated_at")
    public Instant updatedAt;

    public static String key(String workspaceId, String contactId) {
        return workspaceId + "/" + contactId;
    }

    /** The contact's profile, locked for this transaction; created empty when the contact has none yet. */
    public static Uni<RewardProfile> forUpdate(String workspaceId, String contactId) {
        String key = key(workspaceId, contactId);
        return RewardProfile.<RewardProfile>findById(key, LockModeType.PESSIMISTIC_WRITE).chain(p -> {
            if (p != null) {
                return Uni.createFrom().item(p);
            }
            RewardProfile created = new RewardProfile();
            created.key = key;
            created.workspaceId = workspaceId;
            created.contactId = contactId;
            created.updatedAt = Instant.now();
            return created.persistAndFlush();
        });
    }

    public List<String> achievements() {
        return JsonCodec.read(achievementsJson, new TypeReference<List<String>>() { });
    }

    public void achievements(List<String> v) {
        achievementsJson = JsonCodec.encode(v);
    }

    public Map<String, Long> entries() {
        return JsonCodec.read(entriesJson, new TypeReference<LinkedHashMap<String, Long>>() { });
    }

    public void entries(Map<String, Long> v) {
        entriesJson = JsonCodec.encode(v);
    }

    public List<Map<String, Object>> cards() {
        return JsonCodec.read(cardsJson, new TypeReference<ArrayList<Map<String, Object>>>() { });
    }

    public void cards(List<Map<String, Object>> v) {
        cardsJson = JsonCodec.encode(v);
    }

    public List<Map<String, Object>> scores() {
        return JsonCodec.read(scoresJson, new TypeReference<ArrayList<Map<String, Object>>>() { });
    }

    public void scores(List<Map<String, Object>> v) {
        scoresJson = JsonCodec.encode(v);
    }
}
