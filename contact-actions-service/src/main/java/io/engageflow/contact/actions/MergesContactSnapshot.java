package io.engageflow.contact.actions;

import io.engageflow.runtime.actions.LocalAction;

/**
 * A contact action that merges the command's contact snapshot itself ({@link ContactSnapshotMerger#merge}), in the
 * same write as its own change to the contact, so that the contact row is locked and written once per command.
 * {@link ContactSnapshotMerger} leaves the commands of these actions to them.
 */
public interface MergesContactSnapshot extends LocalAction {
}
