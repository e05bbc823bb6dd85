# Italian dates without a leading zero, "2 Marzo 2024" (Django's default for "it" is
# "02 Marzo 2024"). Loaded through FORMAT_MODULE_PATH in project/settings.py.
DATE_FORMAT = "j F Y"
