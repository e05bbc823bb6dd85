// Runs the seeds' JavaScript examples (CMA: "Create a new record", "Update a record") with
// DatoCMS's own @datocms/cma-client-node against the emulator's CMA, unmodified but for the
// models' references (Schema.X.REF: looked up by API key) and the records' ids, and prints
// what each example printed (inspectItem) and saw, as JSON.
// Usage (cwd: a folder holding the example's local files):
//   node cma_client.mjs <tools/node/package.json> <CMA base URL> <token> <CDA endpoint>
import { createRequire } from "node:module";

const [packageJson, baseUrl, apiToken, cdaEndpoint] = process.argv.slice(2);
const require = createRequire(packageJson);
const { ApiError, buildBlockRecord, buildClient, inspectItem } = require(
  "@datocms/cma-client-node",
);
const { executeQuery } = require("@datocms/cda-client");

const client = buildClient({ apiToken, baseUrl });
const out = {};

// The seeds' generated `Schema.X` markers: { ID, REF } of each model, by API key.
const Schema = {};
for (const itemType of await client.itemTypes.list()) {
  Schema[itemType.api_key] = {
    ID: itemType.id,
    REF: { type: "item_type", id: itemType.id },
  };
}

// -- Create a new record --------------------------------------------------------------------

{
  // Basic example
  const record = await client.items.create({
    item_type: Schema.book.REF,
    title: "The JavaScript Guide",
    genre: "Programming",
    synopsis:
      "A comprehensive guide to modern JavaScript.\nPerfect for beginners and experts alike.",
    pages: 450,
  });
  out.book = { id: record.id, inspect: inspectItem(record) };
}

{
  // Managing simple fields
  const record = await client.items.create({
    item_type: Schema.product.REF,
    name: "Premium Wireless Headphones",
    category: "Electronics",
    description:
      "High-quality noise-cancelling wireless headphones.\nPerfect for music and calls.",
    price: 299,
    weight: 0.25,
    release_date: "2024-03-15T10:30:00",
    in_stock: true,
    warehouse_location: {
      latitude: 45.0703393,
      longitude: 7.686864,
    },
    brand_color: {
      alpha: 255,
      blue: 156,
      green: 208,
      red: 239,
    },
    specifications: JSON.stringify({
      bluetooth: "5.0",
      battery_life: "30h",
      warranty: "2y",
    }),
  });
  out.product = { id: record.id, inspect: inspectItem(record) };
}

{
  // Modular content fields
  const upload = await client.uploads.createFromLocalFile({
    localPath: "./2018-10-17-194326.jpg",
  });

  const record = await client.items.create({
    item_type: Schema.landing_page.REF,
    title: "Product Launch Landing Page",
    sections: [
      // hero block
      buildBlockRecord({
        item_type: Schema.hero_block.REF,
        headline: "Revolutionary New Product",
        subtitle:
          "Transform your workflow with our cutting-edge solution.\nBuilt for modern teams.",
        background_image: { upload_id: upload.id },
      }),
      // testimonial block
      buildBlockRecord({
        item_type: Schema.testimonial_block.REF,
        quote: "This product completely transformed our business operations.",
        author_name: "Sarah Johnson, CEO",
      }),
    ],
  });

  const nestedRecord = await client.items.find(record, {
    nested: true,
  });
  out.landingPage = {
    id: record.id,
    upload: upload.id,
    uploadUrl: upload.url,
    sections: record.sections,
    regular: inspectItem(record),
    nested: inspectItem(nestedRecord),
  };
}

{
  // Single block fields
  const upload = await client.uploads.createFromLocalFile({
    localPath: "./hero-background.jpg",
  });

  const record = await client.items.create({
    item_type: Schema.product_page.REF,
    title: "Premium Wireless Headphones",
    price: 299.99,
    hero_section: buildBlockRecord({
      item_type: Schema.product_hero_block.REF,
      headline: "Experience Audio Excellence",
      description:
        "Immerse yourself in crystal-clear sound with our premium wireless headphones.\nFeatures noise cancellation and 30-hour battery life.",
      button: buildBlockRecord({
        item_type: Schema.button_block.REF,
        text: "Learn more",
        url: "/details",
      }),
      background_image: { upload_id: upload.id },
    }),
  });

  const nestedRecord = await client.items.find(record, {
    nested: true,
  });
  out.productPage = {
    id: record.id,
    upload: upload.id,
    heroSection: record.hero_section,
    button: nestedRecord.hero_section.attributes.button.id,
    regular: inspectItem(record),
    nested: inspectItem(nestedRecord),
  };
}

{
  // Structured text fields (the images come from the emulator's own asset URLs)
  const upload1 = await client.uploads.createFromUrl({
    url: `${cdaEndpoint}assets/photo/photo.png`,
    skipCreationIfAlreadyExists: true,
  });

  const upload2 = await client.uploads.createFromUrl({
    url: `${cdaEndpoint}assets/photo/photo.png?w=20`,
    skipCreationIfAlreadyExists: true,
  });

  const record = await client.items.create({
    item_type: Schema.article.REF,
    title: "The Future of Web Development",
    content: {
      schema: "dast",
      document: {
        type: "root",
        children: [
          {
            type: "paragraph",
            children: [
              {
                type: "span",
                marks: [],
                value: "Web development is rapidly evolving.",
              },
            ],
          },
          {
            type: "heading",
            level: 2,
            children: [{ type: "span", marks: [], value: "Key Technologies to Watch" }],
          },
          {
            type: "paragraph",
            children: [
              { type: "span", marks: [], value: "From " },
              { type: "span", marks: ["strong"], value: "serverless architectures" },
              { type: "span", marks: [], value: " to " },
              { type: "span", marks: ["emphasis"], value: "edge computing" },
            ],
          },
          {
            type: "block",
            item: buildBlockRecord({
              item_type: Schema.image_gallery_block.REF,
              title: "Modern Development Environments",
              images: [
                {
                  upload_id: upload1.id,
                  alt: "Modern IDE setup",
                  title: "Development Environment",
                },
                {
                  upload_id: upload2.id,
                  alt: "Code collaboration tools",
                  title: "Team Collaboration",
                },
              ],
            }),
          },
          {
            type: "block",
            item: buildBlockRecord({
              item_type: Schema.cta_block.REF,
              title: "Ready to Level Up Your Skills?",
              description: "Join our community of forward-thinking developers.",
              button_text: "Join the Community",
              button_url: "https://example.com/join",
            }),
          },
        ],
      },
    },
  });

  const nestedRecord = await client.items.find(record, {
    nested: true,
  });
  out.article = {
    id: record.id,
    uploads: [upload1.id, upload2.id],
    blocks: record.content.document.children
      .filter((node) => node.type === "block")
      .map((node) => node.item),
    regular: inspectItem(record),
    nested: inspectItem(nestedRecord),
  };
}

{
  // Linking assets to records
  const upload1 = await client.uploads.createFromUrl({
    url: `${cdaEndpoint}assets/photo/photo.png`,
    skipCreationIfAlreadyExists: true,
  });

  const upload2 = await client.uploads.createFromLocalFile({
    localPath: "./local.jpg",
    skipCreationIfAlreadyExists: true,
  });

  const record = await client.items.create({
    item_type: Schema.portfolio.REF,
    title: "Architecture Photography",
    featured_image: {
      upload_id: upload1.id,
    },
    gallery: [
      {
        upload_id: upload2.id,
        alt: "Modern architecture",
        title: "Urban Design",
        focal_point: {
          x: 0.3,
          y: 0.2,
        },
        custom_data: {
          add_watermark: true,
        },
      },
    ],
  });
  out.portfolio = { id: record.id, uploads: [upload1.id, upload2.id], inspect: inspectItem(record) };
}

{
  // Linking records to other records
  const otherAuthors = await client.items.list({
    filter: { type: "author" },
    version: "current",
  });

  if (otherAuthors.length === 0) {
    throw new Error("This example expects at least one record!");
  }

  const record = await client.items.create({
    item_type: Schema.author.REF,
    name: "Sarah Johnson",
    collaborators: otherAuthors.map((author) => author.id),
    mentor: otherAuthors[0].id,
  });
  out.author = { id: record.id, inspect: inspectItem(record) };
}

{
  // Managing localized fields
  const basicRecord = await client.items.create({
    item_type: Schema.pet.REF,
    name: {
      en: "Sir Fluffington McWhiskers",
      it: "Signor Pelosetto Baffetti",
    },
    description: {
      en: "A noble cat with an impeccable mustache.",
      it: "Un gatto nobile con baffi impeccabili.",
    },
    category: "indoor",
  });

  const allLocalesRecord = await client.items.create({
    item_type: Schema.pet.REF,
    name: {
      en: "Luna",
      it: "Luna",
      fr: null,
    },
    description: {
      en: "A mysterious black cat that appears at midnight.",
      it: "Un gatto nero misterioso che appare a mezzanotte.",
      fr: null,
    },
    category: "outdoor",
  });
  out.pets = {
    ids: [basicRecord.id, allLocalesRecord.id],
    basic: inspectItem(basicRecord),
    allLocales: inspectItem(allLocalesRecord),
  };
}

// -- Update a record ------------------------------------------------------------------------

{
  const item = await client.items.update("blog", {
    title: { en: "[EDIT] My first blog post!", it: "Il mio titolo" },
  });
  out.simpleUpdate = item.title;
}

{
  // Updating a block: find nested, change one block, keep the others by id
  const recordId = "blog";
  const fieldWithBlocks = "modular_content_field";
  const blockId = "block-one";
  const blockFieldsToUpdate = { title: "Example block #1 (Updated title)" };
  const currentRecord = await client.items.find(recordId, { nested: true });
  const currentBlock = currentRecord[fieldWithBlocks].find((block) => block.id === blockId);
  const updatedBlock = {
    ...currentBlock,
    attributes: {
      ...currentBlock.attributes,
      ...blockFieldsToUpdate,
    },
  };
  const updatedFieldWithBlocks = currentRecord[fieldWithBlocks].map((block) =>
    block.id === updatedBlock.id ? updatedBlock : block.id,
  );
  const updatedRecord = await client.items.update(recordId, {
    [fieldWithBlocks]: updatedFieldWithBlocks,
  });
  const after = await client.items.find(recordId, { nested: true });
  out.blockUpdate = {
    ids: updatedRecord[fieldWithBlocks],
    titles: after[fieldWithBlocks].map((block) => block.attributes.title),
  };
}

{
  // Reordering, adding and deleting blocks
  const reordered = await client.items.update("blog", {
    modular_content_field: ["block-three", "block-two", "block-one"],
  });
  const added = await client.items.update("blog", {
    modular_content_field: [
      buildBlockRecord({
        item_type: Schema.example_block.REF,
        title: "new block record text",
      }),
      "block-three",
      "block-two",
      "block-one",
    ],
  });
  const removed = await client.items.update("blog", {
    modular_content_field: added.modular_content_field.filter((id) => id !== "block-two"),
  });
  out.blockList = {
    reordered: reordered.modular_content_field,
    added: added.modular_content_field,
    removed: removed.modular_content_field,
  };
}

{
  // Adding the de locale, then removing it and it
  const added = await client.items.update("blog", {
    title: { en: "My title", it: "Il mio titolo", de: "Mein Titel" },
    content: { en: "Article content", it: "Contenuto articolo", de: "Artikelinhalt" },
  });
  const removed = await client.items.update("blog", {
    title: { en: "My title" },
    content: { en: "Article content" },
  });
  out.locales = {
    added: { title: added.title, content: added.content, votes: added.votes_count },
    removed: { title: removed.title, content: removed.content },
  };
}

{
  // Optimistic locking: two processes increment a counter at the same time
  const log = [];
  async function increment(name) {
    for (;;) {
      const record = await client.items.find("counter");
      log.push(`${name}: got version`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      try {
        await client.items.update("counter", {
          counter: record.counter + 1,
          meta: { current_version: record.meta.current_version },
        });
        log.push(`${name}: updated`);
        return;
      } catch (e) {
        if (e instanceof ApiError && e.findError("STALE_ITEM_VERSION")) {
          log.push(`${name}: STALE_ITEM_VERSION, retrying`);
          continue;
        }
        throw e;
      }
    }
  }
  await Promise.all([increment("A"), increment("B")]);
  const final = await client.items.find("counter");
  out.locking = { log, counter: final.counter };
}

{
  // Errors come back as ApiError with DatoCMS's codes
  try {
    await client.items.update("blog", { title: { it: "Solo" } });
    out.mismatch = { thrown: false };
  } catch (e) {
    const error = e.findError("INVALID_FIELD", { code: "VALIDATION_LOCALES_MISMATCH" });
    out.mismatch = { apiError: e instanceof ApiError, field: error?.attributes.details.field };
  }
}

// -- Schema, publishing, the CDA ------------------------------------------------------------

{
  const modularBlock1 = await client.itemTypes.create({
    name: "Modular Block 1",
    api_key: "modular_block1",
    modular_block: true,
  });
  const field = await client.fields.create(Schema.book.ID, {
    label: "Content",
    field_type: "rich_text",
    api_key: "content",
    validators: {
      rich_text_blocks: {
        item_types: [modularBlock1.id],
      },
    },
  });
  const site = await client.site.find();
  out.schema = { field: field.api_key, validators: field.validators, locales: site.locales };
}

{
  const draft = await client.items.create({ item_type: Schema.post.REF, title: "Drafted" });
  const query = `{ post(filter: {id: {eq: "${draft.id}"}}) { title _status } }`;
  const options = { token: apiToken, graphqlEndpointUrl: cdaEndpoint };
  const before = await executeQuery(query, options);
  const beforeDrafts = await executeQuery(query, { ...options, includeDrafts: true });
  const published = await client.items.publish(draft.id);
  const after = await executeQuery(query, options);
  out.drafts = {
    status: [draft.meta.status, published.meta.status],
    before,
    beforeDrafts,
    after,
  };
}

{
  const uploads = await executeQuery(
    `{ allUploads(orderBy: _createdAt_ASC, filter: {type: {eq: image}}) {
         id width responsiveImage(imgixParams: {w: 8}) { width src } }
       _allUploadsMeta { count } }`,
    { token: apiToken, graphqlEndpointUrl: cdaEndpoint },
  );
  out.allUploads = uploads;
}

console.log(JSON.stringify(out));
