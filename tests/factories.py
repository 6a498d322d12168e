"""factory_boy factories shared by every app's tests."""

import datetime

import factory
from django.utils import timezone

from applications.access import new_link_nonce
from applications.models import Application, ApplicationGroup, EmployerPart, Residence, Scheme
from quota.models import SkilledTrade


class SkilledTradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkilledTrade
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: "trade-" + str(n))
    name_en = factory.Sequence(lambda n: "Trade " + str(n))
    name_zh_hant = factory.Sequence(lambda n: "工種 " + str(n))
    name_zh_hans = factory.Sequence(lambda n: "工种 " + str(n))
    minimum_contract_months = 24
    initial_stay_months = 36


class ApplicationGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationGroup

    temporary_reference = factory.Sequence(lambda n: "T" + str(100000 + n))
    scheme = Scheme.GEP  # every real group has one (the pre-check routes it)
    contact_email = factory.Sequence(lambda n: "applicant" + str(n) + "@example.com")


class PrincipalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    group = factory.SubFactory(ApplicationGroupFactory)
    role = Application.Role.PRINCIPAL
    position = 0
    trade = factory.SubFactory(SkilledTradeFactory)
    surname = "Chan"
    given_names = "Tai Man"
    sex = "M"
    date_of_birth = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=30 * 365)
    )
    nationality = "GB"
    residence = Residence.OVERSEAS
    travel_document_type = "passport"
    travel_document_number = factory.Sequence(lambda n: "P" + str(1000000 + n))


class DependantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    group = factory.SubFactory(ApplicationGroupFactory)
    role = Application.Role.DEPENDANT
    position = factory.Sequence(lambda n: 1 + n % 8)
    relationship = Application.Relationship.SPOUSE
    surname = "Chan"
    given_names = "Siu Ling"
    sex = "F"
    date_of_birth = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=29 * 365)
    )
    nationality = "GB"
    residence = Residence.OVERSEAS
    travel_document_type = "passport"


class EmployerPartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmployerPart

    group = factory.SubFactory(ApplicationGroupFactory)
    company_name_en = "Harbour Engineering Limited"
    business_registration_number = "12345678"
    incorporation_date = datetime.date(2010, 1, 4)
    # As every sending leaves it: a part without a nonce accepts no employer link.
    link_nonce = factory.LazyFunction(new_link_nonce)
