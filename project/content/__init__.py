"""The demo magazine's content: generated artwork (and the emulator's content project)."""
