"""The desk's own records (notices, autosaved drafts, open-story presence)."""
