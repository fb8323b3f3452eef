"""English formats of the portal: dates day first as in Vietnamese (14/09/2021), numbers 1,234.5."""

# The committees read both languages side by side, and "09/05/2025" must mean 9 May in either one:
# the dates, times and input formats are the Vietnamese ones; only the number separators differ.
from portal.formats.vi.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
