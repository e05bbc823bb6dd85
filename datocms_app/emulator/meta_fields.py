"""The meta fields every record type has: ``id``, ``_modelApiKey``, ``_status``, timestamps...

``META_FIELDS`` lists the timestamp meta fields with their nullability and the filter input
that filters on them (``filter_inputs``, ``schema``); ``record_meta_fields`` builds the
fields of one record type (fresh objects each time: graphql-core binds a field to its type).
"""

from __future__ import annotations

from graphql import GraphQLArgument, GraphQLEnumType, GraphQLField, GraphQLObjectType, GraphQLString

from datocms_app.emulator import seo
from datocms_app.emulator.resolvers import meta_resolver, resolve_id, resolve_model_api_key
from datocms_app.emulator.scalars import BooleanType, DateTime, ItemId
from datocms_app.emulator.type_builders import non_null, non_null_list, output_field

__all__ = ["META_FIELDS", "record_meta_fields"]

#: Record meta fields: GraphQL name -> (nullable?, filter input name or None).
META_FIELDS: dict[str, tuple[bool, str | None]] = {
    "_createdAt": (False, "CreatedAtFilter"),
    "_updatedAt": (False, "UpdatedAtFilter"),
    "_publishedAt": (True, "PublishedAtFilter"),
    "_firstPublishedAt": (True, "FirstPublishedAtFilter"),
    "_publicationScheduledAt": (True, "PublicationScheduledAtFilter"),
    "_unpublishingScheduledAt": (True, "UnpublishingScheduledAtFilter"),
}


def record_meta_fields(
    *, item_status: GraphQLEnumType, tag: GraphQLObjectType, site_locale: GraphQLEnumType
) -> dict[str, GraphQLField]:
    """``id``, ``_modelApiKey``, ``_status``, ``_isValid``, ``_seoMetaTags`` and timestamps."""
    fields = {
        "id": output_field(non_null(ItemId), resolve_id),
        "_modelApiKey": output_field(non_null(GraphQLString), resolve_model_api_key),
        "_status": output_field(non_null(item_status), meta_resolver("_status")),
        "_isValid": output_field(non_null(BooleanType), meta_resolver("_isValid")),
        "_seoMetaTags": output_field(
            non_null_list(tag), seo.resolve_seo_meta_tags, locale=GraphQLArgument(site_locale)
        ),
    }
    for name, (nullable, _) in META_FIELDS.items():
        fields[name] = output_field(
            DateTime if nullable else non_null(DateTime), meta_resolver(name)
        )
    return fields
