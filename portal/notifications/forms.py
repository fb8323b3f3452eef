"""The notification preferences form: one choice of channel per kind that offers one."""

from django import forms

from .models import KIND_CHANNELS, Channel, Kind


class PreferencesForm(forms.Form):
    """A radio group per kind with more than one channel; in-app-only kinds are shown by the page, not asked."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, channels in KIND_CHANNELS.items():
            if len(channels) < 2:
                continue
            self.fields[kind] = forms.ChoiceField(
                label=Kind(kind).label,
                choices=[(c, Channel(c).label) for c in channels],
                initial=current.get(kind, channels[0]),
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )

    @staticmethod
    def fixed_kinds() -> list[tuple[str, str]]:
        """(kind label, channel label) of the kinds with a single channel."""
        return [(Kind(k).label, Channel(c[0]).label) for k, c in KIND_CHANNELS.items() if len(c) == 1]
