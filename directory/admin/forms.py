"""Admin forms: each error lands on the field it is about, and a form with an error saves nothing.

Most rules live in the models (validators, `Cluster.clean`, constraints), which ModelForm
validation runs; these forms only move the errors a CHECK constraint would otherwise
report for the whole form onto the field staff have to correct.
"""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from directory.admin.base import https_url_formfield
from directory.models import Cluster, Label, Organisation, Programme


class ClusterAdminForm(forms.ModelForm):
    """`Cluster.clean()` (run by ModelForm validation, before any save) puts a département outside
    the chosen region on the département field and coordinates outside France on the latitude,
    so `Cluster.save()` never gets to raise its own ValidationError from the admin."""

    class Meta:
        model = Cluster
        fields = "__all__"
        formfield_callback = https_url_formfield

    class Media:
        # Leaflet as bundled by django-leaflet, without its admin widgets (they need GeoDjango and GDAL).
        css = {"all": ["leaflet/leaflet.css", "css/admin-map-picker.css"]}
        js = ["leaflet/leaflet.js", "js/admin-map-picker.js"]


class OrganisationAdminForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = "__all__"
        formfield_callback = https_url_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Room for the spaces of « 552 100 554 »: the model's validator checks the nine digits
        # once clean_siren has removed them.
        siren = self.fields["siren"]
        siren.max_length = 20
        siren.validators = [v for v in siren.validators if not isinstance(v, MaxLengthValidator)]
        siren.widget.attrs["maxlength"] = "20"

    def clean_siren(self):
        # Staff paste SIRENs as printed on Kbis extracts: « 552 100 554 ».
        siren = "".join(self.cleaned_data.get("siren", "").split())
        # The unique constraint is conditional (blank SIRENs are allowed), so Django would
        # report a duplicate for the whole form; this puts it on the field.
        if siren and Organisation.objects.filter(siren=siren).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Une organisation porte déjà ce SIREN."), code="unique")
        return siren


class LabelAdminForm(forms.ModelForm):
    class Meta:
        model = Label
        fields = "__all__"
        formfield_callback = https_url_formfield

    def clean(self):
        cleaned = super().clean()
        for date_field, precision_field in (
            ("awarded_on", "awarded_precision"),
            ("valid_until", "valid_until_precision"),
        ):
            if date_field in self.errors or precision_field in self.errors:
                continue
            has_date = cleaned.get(date_field) is not None
            has_precision = bool(cleaned.get(precision_field))
            if has_date and not has_precision:
                self.add_error(
                    precision_field,
                    _("Indiquez ce que la source donne de cette date : l’année, le mois ou le jour."),
                )
            elif has_precision and not has_date:
                self.add_error(date_field, _("Donnez la date, ou retirez sa précision."))
        awarded_on, valid_until = cleaned.get("awarded_on"), cleaned.get("valid_until")
        if awarded_on and valid_until and valid_until < awarded_on and "valid_until" not in self.errors:
            self.add_error("valid_until", _("La fin de validité précède l’attribution."))
        return cleaned


class ProgrammeAdminForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = "__all__"
        formfield_callback = https_url_formfield

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start and end and end < start and "end_year" not in self.errors:
            self.add_error("end_year", _("Le programme finit avant d’avoir commencé."))
        return cleaned
