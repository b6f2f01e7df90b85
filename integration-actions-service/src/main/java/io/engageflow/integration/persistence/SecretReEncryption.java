package io.engageflow.integration.persistence;

import io.engageflow.contracts.json.JsonCodec;
import io.engageflow.integration.domain.SecretBox;
import io.engageflow.integration.domain.secrets.ProviderSecrets;
import io.engageflow.integration.domain.secrets.UnreadableSecretException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Rewrites every connected app's secrets with the current key: after a new key is made current, this leaves no
 * ciphertext under the old one, which can then be removed. It also binds rows of earlier versions (sealed without
 * key id or workspace) and encrypts credentials an earlier version kept in plain text in settings_json.
 * Row by row, in key order, a page at a time; each row is written only if it is still as read (a PUT meanwhile wins:
 * it wrote with the current key). Rows no configured key decrypts are left as they are and listed. Running it again
 * rewrites nothing that is current.
 */
@ApplicationScoped
public class SecretReEncryption {
    private static final Logger LOG = Logger.getLogger(SecretReEncryption.class);
    private static final int PAGE = 200;
    private static final String PAGE_SQL = "SELECT key, workspace_id, provider, api_key_encrypted, settings_json "
            + "FROM connected_app WHERE key > $1 ORDER BY key LIMIT " + PAGE;
    private static final String UPDATE = "UPDATE connected_app SET api_key_encrypted = $2, settings_json = $3 "
            + "WHERE key = $1 AND api_key_encrypted = $4 AND settings_json = $5";

    private final ConnectedApps apps;

    public SecretReEncryption(ConnectedApps apps) {
        this.apps = apps;
    }

    /**
     * What a run did. apps: rows read; rewritten: rows written with the current key (plainSettingsEncrypted of their
     * settings were in plain text before); alreadyCurrent: rows left as they were; changedMeanwhile: rows changed or
     * removed between read and write; keyIdsBefore: rows per key id as found; unreadable: rows left undecrypted.
     */
    public record Report(String currentKeyId, int apps, int rewritten, int alreadyCurrent, int plainSettingsEncrypted,
                         int changedMeanwhile, Map<String, Integer> keyIdsBefore, List<Map<String, String>> unreadable) {
    }

    private static final class Tally {
        int apps;
        int rewritten;
        int alreadyCurrent;
        int plainSettingsEncrypted;
        int changedMeanwhile;
        final Map<String, Integer> keyIdsBefore = new TreeMap<>();
        final List<Map<String, String>> unreadable = new ArrayList<>();
    }

    public Uni<Report> run() {
        Tally tally = new Tally();
        return page("", tally).map(done -> {
            Report report = new Report(apps.box().currentKeyId(), tally.apps, tally.rewritten, tally.alreadyCurrent,
                    tally.plainSettingsEncrypted, tally.changedMeanwhile, tally.keyIdsBefore, tally.unreadable);
            LOG.infof("re-encrypted connected-app secrets with key %s: %d apps, %d rewritten, %d already current, "
                            + "%d changed meanwhile, %d unreadable; key ids before %s", report.currentKeyId(),
                    report.apps(), report.rewritten(), report.alreadyCurrent(), report.changedMeanwhile(),
                    report.unreadable().size(), report.keyIdsBefore());
            return report;
        });
    }

    private Uni<Tally> page(String after, Tally tally) {
        return apps.pool().preparedQuery(PAGE_SQL).execute(Tuple.of(after)).chain(rows -> {
            List<Row> list = new ArrayList<>();
            rows.forEach(list::add);
            if (list.isEmpty()) {
                return Uni.createFrom().item(tally);
            }
            String last = list.get(list.size() - 1).getString("key");
            return Multi.createFrom().iterable(list).onItem().transformToUniAndConcatenate(row -> one(row, tally))
                    .collect().last()
                    .chain(() -> list.size() < PAGE ? Uni.createFrom().item(tally) : page(last, tally));
        });
    }

    private Uni<Void> one(Row row, Tally tally) {
        String key = row.getString("key");
        String workspaceId = row.getString("workspace_id");
        String provider = row.getString("provider");
        String sealed = row.getString("api_key_encrypted");
        String settingsJson = row.getString("settings_json");
        tally.apps++;
        tally.keyIdsBefore.merge(SecretBox.keyId(sealed), 1, Integer::sum);
        Map<String, Object> secrets;
        try {
            secrets = apps.secrets(workspaceId, provider, sealed, settingsJson);
        } catch (UnreadableSecretException e) {
            tally.unreadable.add(Map.of("workspaceId", workspaceId, "provider", provider, "reason", e.getMessage()));
            return Uni.createFrom().voidItem();
        }
        Map<String, Object> settings = JsonCodec.toMap(settingsJson);
        int plainSecrets = ProviderSecrets.secrets(provider, settings).size();
        if (apps.box().isCurrent(sealed) && plainSecrets == 0) {
            tally.alreadyCurrent++;
            return Uni.createFrom().voidItem();
        }
        String resealed = apps.seal(workspaceId, provider, secrets);
        String remaining = plainSecrets == 0 ? settingsJson
                : JsonCodec.encode(ProviderSecrets.withoutSecrets(provider, settings));
        return apps.pool().preparedQuery(UPDATE).execute(Tuple.of(key, resealed, remaining, sealed, settingsJson))
                .invoke(result -> {
                    if (result.rowCount() == 1) {
                        tally.rewritten++;
                        tally.plainSettingsEncrypted += plainSecrets;
                    } else {
                        tally.changedMeanwhile++;
                    }
                }).replaceWithVoid();
    }
}
