"""factory_boy factories for units and users."""

import factory

from portal.accounts.models import User
from portal.accounts.services import user_sync_access
from portal.units.models import PATH_SEPARATOR, Unit
from portal.units.text import search_key

TEST_PASSWORD = "correct-horse-138-battery"


def root_unit() -> Unit:
    root, _ = Unit.objects.get_or_create(
        edition=Unit.Edition.CURRENT,
        code=Unit.ROOT_CODE,
        defaults={
            "name": "Việt Nam",
            "search_name": "viet nam",
            "kind": Unit.Kind.NATION,
            "level": Unit.Level.NATIONAL,
            "path": Unit.ROOT_CODE + PATH_SEPARATOR,
            "rollup_path": Unit.ROOT_CODE + PATH_SEPARATOR,
        },
    )
    return root


class UnitFactory(factory.django.DjangoModelFactory):
    """A unit under `parent` (the national root by default); legacy units name a `successor`."""

    class Meta:
        model = Unit

    class Params:
        segment = factory.LazyAttribute(lambda o: ("L" if o.edition == Unit.Edition.LEGACY else "") + o.code)

    code = factory.Sequence(lambda n: f"{90 + n % 10}{n:03d}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}")
    search_name = factory.LazyAttribute(lambda o: search_key(o.name))
    kind = Unit.Kind.PROVINCE
    level = factory.LazyAttribute(lambda o: o.parent.level + 1 if o.parent.level < 1 else Unit.Level.COMMUNE)
    edition = Unit.Edition.CURRENT
    parent = factory.LazyFunction(root_unit)
    successor = None
    path = factory.LazyAttribute(lambda o: f"{o.parent.path}{o.segment}{PATH_SEPARATOR}")
    rollup_path = factory.LazyAttribute(lambda o: o.successor.path if o.successor else o.path)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    role = User.Role.VIEWER
    unit = factory.LazyFunction(root_unit)

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or TEST_PASSWORD)
        if create:
            obj.save()
            user_sync_access(user=obj)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.Category"
        django_get_or_create = ["article"]

    article = "173"
    name = "Trộm cắp tài sản"
    line = "social_order"
    sort_key = factory.LazyAttribute(lambda o: int(o.article))


def make_case(*, actor, unit, recorded_on, category=None, severity="serious", title="Trộm cắp xe máy", **kwargs):
    """A case created through the service, as a user would (reference, deadline, timeline)."""
    from cases.services import case_create

    return case_create(
        actor=actor,
        title=title,
        category=category or CategoryFactory(),
        severity=severity,
        unit=unit,
        recorded_on=recorded_on,
        **kwargs,
    )


_bulk_refs = iter(range(1, 10**9))


def bulk_cases(unit, n: int, *, on, article="173", severity="serious", cleared_on=None, status=None) -> None:
    """n cases recorded on a day, straight into the table: for tests of figures, not of the workflow."""
    from cases.models import Case, Category

    category = Category.objects.get(article=article)
    Case.objects.bulk_create(
        [
            Case(
                reference=f"T-{next(_bulk_refs):07d}",
                title="Vụ thử",
                category=category,
                line=category.line,
                severity=severity,
                unit=unit,
                unit_path=unit.rollup_path,
                received_on=on,
                recorded_on=on,
                status=status or Case.Status.INVESTIGATING,
                cleared_on=cleared_on,
            )
            for _ in range(n)
        ]
    )
