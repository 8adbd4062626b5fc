#!/usr/bin/env node
/*
 * Rebuilds graph-v1.0-subset.json, the OpenAPI 3.0.3 description of the part of Microsoft Graph v1.0 the extension
 * uses, from Microsoft's CSDL metadata (clean_v10_metadata/cleanMetadata.xml in microsoftgraph/msgraph-metadata).
 *
 *   node test/reference/graph/build-subset.mjs path/to/cleanMetadata.xml [--out file]
 *   node test/reference/graph/build-subset.mjs path/to/cleanMetadata.xml --check
 *
 * Without --out the subset beside this script is overwritten. --check writes nothing: it exits 1, with a short list of
 * the differences, when the rebuilt document is not the committed one (0 when it is). Errors exit 2.
 *
 * What comes from where:
 *   - the operations to describe: the OPERATIONS table below (the calls the extension makes);
 *   - everything about them that the metadata knows (types, keys, nullability, query options allowed, custom headers,
 *     descriptions): the metadata, read with the small XML reader below;
 *   - the shapes of operations, parameters and responses: fixed conventions below, modelled on Microsoft's generated
 *     Graph OpenAPI (OpenAPI.OData), with the deliberate differences listed in README.md;
 *   - what the metadata cannot say (/$batch, info, servers, security, overrides): subset-handwritten.json.
 *
 * No npm dependencies: plain Node 20.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const SUBSET_FILE = path.join(here, 'graph-v1.0-subset.json');
const HANDWRITTEN_FILE = path.join(here, 'subset-handwritten.json');

/*
 * The operations, in the order they appear in the document. `csdlPath` walks the metadata from the entity container;
 * it is also written into each operation as x-ms-subset-csdl-path, so a reader can find the source of every path.
 *   entitySet:NAME / singleton:NAME   a member of the GraphService container
 *   key:{TYPE-id}                     one entity of the collection before it (the name must be its type's name + "-id")
 *   altKey:NAME                       one entity of the collection before it by an alternate key its type declares
 *                                     (Core.V1.AlternateKeys), written NAME='{NAME}' in parentheses: applications(appId='{appId}')
 *   nav:NAME                          a navigation property of the entity before it
 *   property:NAME                     a structural (complex) property of the entity before it
 *   action:NAME                       a bound action of the entity before it
 *   ref:$ref                          the reference ($ref) to the collection member or collection before it
 * The operation each method means follows from where the path ends: GET on a collection lists it, POST creates in it;
 * GET/PATCH/DELETE on an entity read, update or delete it; POST on an action invokes it; POST/DELETE on $ref add or
 * remove a reference.
 */
const OPERATIONS = [
    { csdlPath: ['entitySet:users'], methods: ['get', 'post'] },
    { csdlPath: ['entitySet:users', 'key:{user-id}'], methods: ['get', 'patch', 'delete'] },
    { csdlPath: ['entitySet:users', 'key:{user-id}', 'action:assignLicense'], methods: ['post'] },
    { csdlPath: ['entitySet:users', 'key:{user-id}', 'nav:licenseDetails'], methods: ['get'] },
    { csdlPath: ['entitySet:users', 'key:{user-id}', 'property:mailboxSettings'], methods: ['get', 'patch'] },
    { csdlPath: ['entitySet:users', 'key:{user-id}', 'nav:calendar', 'nav:calendarPermissions'], methods: ['get', 'post'] },
    {
        csdlPath: ['entitySet:users', 'key:{user-id}', 'nav:calendar', 'nav:calendarPermissions', 'key:{calendarPermission-id}'],
        methods: ['get', 'patch', 'delete'],
    },
    { csdlPath: ['singleton:me'], methods: ['get'] },
    { csdlPath: ['entitySet:subscribedSkus'], methods: ['get'] },
    { csdlPath: ['entitySet:groups'], methods: ['get', 'post'] },
    { csdlPath: ['entitySet:groups', 'key:{group-id}'], methods: ['get', 'patch', 'delete'] },
    { csdlPath: ['entitySet:groups', 'key:{group-id}', 'nav:members'], methods: ['get'] },
    { csdlPath: ['entitySet:groups', 'key:{group-id}', 'nav:transitiveMembers'], methods: ['get'] },
    { csdlPath: ['entitySet:groups', 'key:{group-id}', 'nav:members', 'ref:$ref'], methods: ['post'] },
    { csdlPath: ['entitySet:groups', 'key:{group-id}', 'nav:members', 'key:{directoryObject-id}', 'ref:$ref'], methods: ['delete'] },
    { csdlPath: ['entitySet:directoryRoles'], methods: ['get'] },
    { csdlPath: ['entitySet:directoryRoles', 'key:{directoryRole-id}', 'nav:members'], methods: ['get'] },
    { csdlPath: ['entitySet:directoryRoles', 'key:{directoryRole-id}', 'nav:members', 'ref:$ref'], methods: ['post'] },
    { csdlPath: ['entitySet:directoryRoleTemplates'], methods: ['get'] },
    { csdlPath: ['singleton:roleManagement', 'nav:directory', 'nav:roleAssignments'], methods: ['get', 'post'] },
    { csdlPath: ['singleton:roleManagement', 'nav:directory', 'nav:roleDefinitions'], methods: ['get'] },
    { csdlPath: ['entitySet:organization'], methods: ['get'] },
    { csdlPath: ['entitySet:domains'], methods: ['get'] },
    // Issue 17: app registrations, their credentials and owners, service principals and the grants on them.
    { csdlPath: ['entitySet:applications'], methods: ['get', 'post'] },
    { csdlPath: ['entitySet:applications', 'key:{application-id}'], methods: ['get', 'patch', 'delete'] },
    { csdlPath: ['entitySet:applications', 'altKey:appId'], methods: ['get'] },
    { csdlPath: ['entitySet:applications', 'key:{application-id}', 'action:addPassword'], methods: ['post'] },
    { csdlPath: ['entitySet:applications', 'key:{application-id}', 'action:removePassword'], methods: ['post'] },
    { csdlPath: ['entitySet:applications', 'key:{application-id}', 'action:addKey'], methods: ['post'] },
    { csdlPath: ['entitySet:applications', 'key:{application-id}', 'action:removeKey'], methods: ['post'] },
    { csdlPath: ['entitySet:applications', 'key:{application-id}', 'nav:owners'], methods: ['get'] },
    { csdlPath: ['entitySet:applications', 'key:{application-id}', 'nav:owners', 'ref:$ref'], methods: ['post'] },
    { csdlPath: ['entitySet:servicePrincipals'], methods: ['get', 'post'] },
    { csdlPath: ['entitySet:servicePrincipals', 'key:{servicePrincipal-id}'], methods: ['get', 'patch', 'delete'] },
    { csdlPath: ['entitySet:servicePrincipals', 'altKey:appId'], methods: ['get'] },
    { csdlPath: ['entitySet:servicePrincipals', 'key:{servicePrincipal-id}', 'action:addPassword'], methods: ['post'] },
    { csdlPath: ['entitySet:servicePrincipals', 'key:{servicePrincipal-id}', 'action:addKey'], methods: ['post'] },
    { csdlPath: ['entitySet:servicePrincipals', 'key:{servicePrincipal-id}', 'nav:appRoleAssignments'], methods: ['get', 'post'] },
    {
        csdlPath: ['entitySet:servicePrincipals', 'key:{servicePrincipal-id}', 'nav:appRoleAssignments', 'key:{appRoleAssignment-id}'],
        methods: ['delete'],
    },
    { csdlPath: ['entitySet:servicePrincipals', 'key:{servicePrincipal-id}', 'nav:appRoleAssignedTo'], methods: ['get', 'post'] },
    {
        csdlPath: ['entitySet:servicePrincipals', 'key:{servicePrincipal-id}', 'nav:appRoleAssignedTo', 'key:{appRoleAssignment-id}'],
        methods: ['delete'],
    },
    { csdlPath: ['entitySet:servicePrincipals', 'key:{servicePrincipal-id}', 'nav:oauth2PermissionGrants'], methods: ['get'] },
    { csdlPath: ['entitySet:oauth2PermissionGrants'], methods: ['get', 'post'] },
    { csdlPath: ['entitySet:oauth2PermissionGrants', 'key:{oAuth2PermissionGrant-id}'], methods: ['get', 'patch', 'delete'] },
    // Issue 17: the calendar calls an app-only token makes inside (and outside) its Exchange management scope.
    { csdlPath: ['entitySet:users', 'key:{user-id}', 'nav:calendar', 'nav:events'], methods: ['get', 'post'] },
    { csdlPath: ['entitySet:users', 'key:{user-id}', 'nav:events', 'key:{event-id}'], methods: ['get'] },
];

// ---------------------------------------------------------------------------------------------------------------------
// Command line

function usage(message) {
    if (message) console.error(`build-subset: ${message}`);
    console.error('usage: node test/reference/graph/build-subset.mjs path/to/cleanMetadata.xml [--out file | --check]');
    process.exit(2);
}

function parseArguments(argv) {
    const options = { metadata: undefined, out: SUBSET_FILE, check: false };
    for (let i = 0; i < argv.length; i++) {
        const argument = argv[i];
        if (argument === '--check') options.check = true;
        else if (argument === '--out') {
            if (!argv[i + 1]) usage('--out needs a file name');
            options.out = path.resolve(argv[++i]);
        } else if (argument === '--help' || argument === '-h') usage();
        else if (argument.startsWith('-')) usage(`unknown option ${argument}`);
        else if (options.metadata) usage('give one metadata file');
        else options.metadata = path.resolve(argument);
    }
    if (!options.metadata) usage('the metadata file is missing (clean_v10_metadata/cleanMetadata.xml from microsoftgraph/msgraph-metadata)');
    return options;
}

// ---------------------------------------------------------------------------------------------------------------------
// A small XML reader: enough for CSDL, which is plain elements, attributes and a little text (no DTD, no mixed content
// that matters). It builds { name, attrs, children, text } nodes; element names lose their namespace prefix
// (edmx:Edmx → Edmx), attribute names keep theirs. Anything it does not recognise is an error, not a silent skip.

const ENTITIES = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text) {
    return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, entity) => {
        if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
        if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
        if (entity in ENTITIES) return ENTITIES[entity];
        throw new Error(`unknown XML entity ${whole}`);
    });
}

function parseXml(source) {
    const text = source.replace(/^\uFEFF/, '');
    const document = { name: '#document', attrs: {}, children: [], text: '' };
    const open = [document];
    // One alternative per kind of token; the sticky flag makes every character belong to some token.
    const token =
        /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<!\[CDATA\[([\s\S]*?)\]\]>|<\/([\w.:-]+)\s*>|<([\w.:-]+)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|[^<]+/y;
    const attribute = /([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
    while (token.lastIndex < text.length) {
        const at = token.lastIndex;
        const match = token.exec(text);
        if (!match) throw new Error(`malformed XML at offset ${at}: ${JSON.stringify(text.slice(at, at + 40))}`);
        const [whole, cdata, closing, opening, attributeText, selfClosing] = match;
        const current = open[open.length - 1];
        if (cdata !== undefined) current.text += cdata;
        else if (closing !== undefined) {
            if (localName(closing) !== current.name) throw new Error(`</${closing}> closes <${current.name}> at offset ${at}`);
            open.pop();
        } else if (opening !== undefined) {
            const element = { name: localName(opening), attrs: {}, children: [], text: '' };
            for (const [, name, doubleQuoted, singleQuoted] of attributeText.matchAll(attribute)) {
                element.attrs[name] = decodeEntities(doubleQuoted ?? singleQuoted);
            }
            current.children.push(element);
            if (!selfClosing) open.push(element);
        } else if (!whole.startsWith('<')) current.text += decodeEntities(whole);
        // comments, processing instructions and the doctype carry nothing CSDL needs
    }
    if (open.length !== 1) throw new Error(`unclosed <${open[open.length - 1].name}> at end of file`);
    return document;
}

function localName(name) {
    return name.slice(name.indexOf(':') + 1);
}

function childrenNamed(element, name) {
    return element.children.filter(c => c.name === name);
}

function childNamed(element, name) {
    return element.children.find(c => c.name === name);
}

// ---------------------------------------------------------------------------------------------------------------------
// The CSDL model: types, the entity container, bound actions and annotations, looked up by qualified name.

const CAPABILITIES = 'Org.OData.Capabilities.V1.';

class Csdl {
    constructor(xml) {
        const dataServices = childNamed(childNamed(parseXml(xml), 'Edmx') ?? {}, 'DataServices');
        if (!dataServices) throw new Error('not a CSDL document (no edmx:Edmx/edmx:DataServices)');
        this.aliases = new Map();
        this.types = new Map();
        this.actions = [];
        this.outOfLine = new Map();
        const schemas = childrenNamed(dataServices, 'Schema');
        for (const schema of schemas) if (schema.attrs.Alias) this.aliases.set(schema.attrs.Alias, schema.attrs.Namespace);
        for (const schema of schemas) {
            const namespace = schema.attrs.Namespace;
            for (const element of schema.children) {
                const fullName = `${namespace}.${element.attrs.Name}`;
                if (element.name === 'EntityType' || element.name === 'ComplexType' || element.name === 'EnumType') {
                    this.types.set(fullName, { kind: element.name, element, fullName, name: element.attrs.Name });
                } else if (element.name === 'Action') this.actions.push({ element, fullName });
                else if (element.name === 'EntityContainer' && !this.container) this.container = { element, fullName };
                else if (element.name === 'Annotations') {
                    const target = this.qualify(element.attrs.Target);
                    this.outOfLine.set(target, [...(this.outOfLine.get(target) ?? []), ...childrenNamed(element, 'Annotation')]);
                }
            }
        }
        if (!this.container) throw new Error('the metadata has no EntityContainer');
    }

    /** Resolves a schema alias ("graph.user" → "microsoft.graph.user"); also inside annotation targets ("graph.user/x"). */
    qualify(name) {
        const [head, ...rest] = name.split('/');
        const dot = head.lastIndexOf('.');
        const namespace = head.slice(0, dot);
        const qualified = `${this.aliases.get(namespace) ?? namespace}${head.slice(dot)}`;
        return [qualified, ...rest].join('/');
    }

    /** "Collection(graph.user)" → { collection: true, name: "microsoft.graph.user" }. */
    typeRef(type) {
        const collection = /^Collection\((.*)\)$/.exec(type);
        return { collection: Boolean(collection), name: this.qualify(collection ? collection[1] : type) };
    }

    type(fullName) {
        const type = this.types.get(fullName);
        if (!type) throw new Error(`the metadata has no type ${fullName}`);
        return type;
    }

    baseType(type) {
        return type.element.attrs.BaseType ? this.type(this.qualify(type.element.attrs.BaseType)) : undefined;
    }

    /** The type and its ancestors, nearest first. */
    lineage(type) {
        const chain = [];
        for (let t = type; t; t = this.baseType(t)) chain.push(t);
        return chain;
    }

    /**
     * Structural and navigation properties, inherited ones first, each type's in document order.
     * @returns {{ element: object, owner: object, navigation: boolean }[]}
     */
    members(type) {
        return this.lineage(type)
            .reverse()
            .flatMap(owner =>
                owner.element.children
                    .filter(c => c.name === 'Property' || c.name === 'NavigationProperty')
                    .map(element => ({ element, owner, navigation: element.name === 'NavigationProperty' })),
            );
    }

    member(type, name) {
        const member = this.members(type).find(m => m.element.attrs.Name === name);
        if (!member) throw new Error(`${type.fullName} has no property ${name}`);
        return member;
    }

    containerMember(kind, name) {
        const element = childrenNamed(this.container.element, kind).find(e => e.attrs.Name === name);
        if (!element) throw new Error(`the container has no ${kind} ${name}`);
        return element;
    }

    /**
     * The value of an annotation on a model element, given the element (for inline annotations) and its target path
     * (for <Annotations Target="...">). Graph's metadata has both for some targets, with different values: the
     * out-of-line ConsistencyLevel header on users and groups links the orgContact page, the inline one the
     * advanced-queries page the header is about. The inline one wins. Qualifiers are not looked at: the one qualified
     * annotation that matters here (ExpandRestrictions on users and groups) is the only one of its term on its target.
     */
    annotation(target, element, term) {
        const inline = element ? childrenNamed(element, 'Annotation').find(a => a.attrs.Term === term) : undefined;
        const found = inline ?? (this.outOfLine.get(target) ?? []).find(a => a.attrs.Term === term);
        return found ? expressionValue(found) : undefined;
    }

    description(target, element) {
        return this.annotation(target, element, 'Org.OData.Core.V1.Description');
    }
}

/** The value of an annotation or property value: a constant attribute, or a Record/Collection child. */
function expressionValue(element) {
    const attrs = element.attrs;
    if ('Bool' in attrs) return attrs.Bool === 'true';
    if ('Int' in attrs) return Number(attrs.Int);
    for (const name of ['String', 'EnumMember', 'PropertyPath', 'NavigationPropertyPath', 'Path']) if (name in attrs) return attrs[name];
    const inner = element.children.find(c => c.name !== 'Annotation');
    return inner ? elementValue(inner) : element.text.trim();
}

function elementValue(element) {
    switch (element.name) {
        case 'Record':
            return Object.fromEntries(childrenNamed(element, 'PropertyValue').map(p => [p.attrs.Property, expressionValue(p)]));
        case 'Collection':
            return element.children.map(elementValue);
        case 'Bool':
            return element.text.trim() === 'true';
        case 'Int':
            return Number(element.text.trim());
        default: // String, EnumMember, PropertyPath, NavigationPropertyPath
            return element.text.trim();
    }
}

// ---------------------------------------------------------------------------------------------------------------------
// Output conventions, modelled on Microsoft's generated Graph OpenAPI (OpenAPI.OData) except where README.md lists a
// deliberate difference.

const DATE_TIME_PATTERN =
    '^[0-9]{4,}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]{1,12})?(Z|[+-][0-9][0-9]:[0-9][0-9])$';
const DATE_PATTERN = '^[0-9]{4,}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$';
const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const TIME_PATTERN = '^([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])([.][0-9]{1,12})?$';

/**
 * The primitive types the subset's types use. Others are refused rather than guessed: when the metadata or the table
 * changes so that one appears, add it here with the shape Microsoft's OpenAPI gives it.
 */
const PRIMITIVES = {
    'Edm.String': { type: 'string' },
    'Edm.Boolean': { type: 'boolean' },
    'Edm.Int32': { type: 'integer', format: 'int32', minimum: -2147483648, maximum: 2147483647 },
    'Edm.Guid': { type: 'string', format: 'uuid', pattern: UUID_PATTERN },
    'Edm.DateTimeOffset': { type: 'string', format: 'date-time', pattern: DATE_TIME_PATTERN },
    'Edm.TimeOfDay': { type: 'string', format: 'time', pattern: TIME_PATTERN },
    // Base64url text, as Microsoft's OpenAPI writes both (application.logo, keyCredential.key and customKeyIdentifier).
    'Edm.Binary': { type: 'string', format: 'base64url' },
    'Edm.Stream': { type: 'string', format: 'base64url' },
    // A JSON number only: Microsoft's OpenAPI also takes the strings "NaN", "INF" and "-INF" (oneOf number, string,
    // ReferenceNumeric); the subset is stricter (outlookGeoCoordinates of an event's location).
    'Edm.Double': { type: 'number', format: 'double' },
    'Edm.Date': { type: 'string', format: 'date', pattern: DATE_PATTERN },
};

function primitiveSchema(name) {
    const schema = PRIMITIVES[name];
    if (!schema) throw new Error(`no OpenAPI mapping for ${name}: add one to PRIMITIVES`);
    return { ...schema };
}

const ref = name => ({ $ref: `#/components/schemas/${name}` });

/**
 * The alternative that lets a nullable complex, enum or navigation value be null. Microsoft's OpenAPI writes
 * { type: object, nullable: true }, which also accepts any object; the subset accepts null only.
 */
const nullAlternative = () => ({ type: 'object', nullable: true, enum: [null] });

const errorResponse = () => ({ $ref: '#/components/responses/error' });
const jsonContent = schema => ({ 'application/json': { schema } });

const collectionResponseName = typeName => `${typeName}CollectionResponse`;

/** Graph's error body, as Microsoft's OpenAPI describes it; InnerError's properties come from the metadata. */
function errorSchemas(innerErrorProperties) {
    return {
        'microsoft.graph.ODataErrors.ODataError': {
            required: ['error'],
            type: 'object',
            properties: { error: ref('microsoft.graph.ODataErrors.MainError') },
        },
        'microsoft.graph.ODataErrors.MainError': {
            required: ['code', 'message'],
            type: 'object',
            properties: {
                code: { type: 'string' },
                message: { type: 'string', 'x-ms-primary-error-message': true },
                target: { type: 'string', nullable: true },
                details: { type: 'array', items: ref('microsoft.graph.ODataErrors.ErrorDetails') },
                innerError: ref('microsoft.graph.ODataErrors.InnerError'),
            },
        },
        'microsoft.graph.ODataErrors.ErrorDetails': {
            required: ['code', 'message'],
            type: 'object',
            properties: { code: { type: 'string' }, message: { type: 'string' }, target: { type: 'string', nullable: true } },
        },
        'microsoft.graph.ODataErrors.InnerError': {
            type: 'object',
            description: 'The structure of this object is service-specific',
            properties: innerErrorProperties,
        },
    };
}

/** The body of POST .../$ref: the @odata.id of the object to add. */
const referenceCreateSchema = () => ({ required: ['@odata.id'], type: 'object', properties: { '@odata.id': { type: 'string' } } });

/** The query options every collection GET shares; the others depend on the collection's type. */
const SHARED_PARAMETERS = () => ({
    top: {
        name: '$top',
        in: 'query',
        description: 'Show only the first n items',
        style: 'form',
        schema: { minimum: 0, type: 'integer' },
        example: 50,
    },
    skip: { name: '$skip', in: 'query', description: 'Skip the first n items', style: 'form', schema: { minimum: 0, type: 'integer' } },
    search: { name: '$search', in: 'query', description: 'Search items by search phrases', style: 'form', schema: { type: 'string' } },
    filter: { name: '$filter', in: 'query', description: 'Filter items by property values', style: 'form', schema: { type: 'string' } },
    count: { name: '$count', in: 'query', description: 'Include count of items', style: 'form', schema: { type: 'boolean' } },
});

const ifMatchParameter = () => ({ name: 'If-Match', in: 'header', description: 'ETag', style: 'simple', schema: { type: 'string' } });

/** The path parameter of an alternate key (Microsoft's OpenAPI: "Alternate key of application"). */
function alternateKeyParameter(name, typeName) {
    return {
        name,
        in: 'path',
        description: `Alternate key ${name} of ${typeName}`,
        required: true,
        style: 'simple',
        schema: { type: 'string' },
        'x-ms-docs-key-type': typeName,
    };
}

function keyParameter(typeName) {
    return {
        name: `${typeName}-id`,
        in: 'path',
        description: `The unique identifier of ${typeName}`,
        required: true,
        style: 'simple',
        schema: { type: 'string' },
        'x-ms-docs-key-type': typeName,
    };
}

/** $select, $orderby and $expand: arrays limited to known names (Microsoft's current OpenAPI takes any string). */
function namesParameter(name, description, names) {
    return {
        name,
        in: 'query',
        description,
        style: 'form',
        explode: false,
        schema: { uniqueItems: true, type: 'array', items: { enum: names, type: 'string' } },
    };
}

/** A header the metadata declares with Capabilities.CustomHeaders (ConsistencyLevel for advanced queries). */
function customHeaderParameter(header) {
    const parameter = { name: header.Name, in: 'header' };
    const documentation = header.DocumentationURL ? ` Documentation URL: ${header.DocumentationURL}` : '';
    if (header.Description || documentation) parameter.description = `${header.Description ?? ''}${documentation}`.trim();
    if (header.Required) parameter.required = true;
    parameter.style = 'simple';
    parameter.schema = { type: 'string' };
    if (header.ExampleValues?.length) {
        parameter.examples = Object.fromEntries(
            header.ExampleValues.map((example, i) => [`example-${i + 1}`, { description: example.Description, value: example.Value }]),
        );
    }
    return parameter;
}

// ---------------------------------------------------------------------------------------------------------------------
// Schemas

/**
 * The types the subset describes: those the operations read, write or take as action parameters, with their base
 * types and the complex and enum types of their structural properties, transitively. Navigation properties do not
 * pull their targets in (user alone would bring most of Graph); see SchemaWriter.reference for how a navigation to a
 * type outside the subset is written.
 */
function includedTypes(csdl, roots) {
    const included = new Set();
    const pending = [...roots];
    while (pending.length) {
        const name = pending.pop();
        if (included.has(name)) continue;
        const type = csdl.type(name);
        included.add(name);
        const base = csdl.baseType(type);
        if (base) pending.push(base.fullName);
        for (const property of childrenNamed(type.element, 'Property')) {
            const { name: propertyType } = csdl.typeRef(property.attrs.Type);
            if (!propertyType.startsWith('Edm.')) pending.push(propertyType);
        }
    }
    return included;
}

/**
 * Complex types are described by their structural properties only. A navigation property inside a complex value
 * (userPrint.recentPrinterShares) is never part of the entity's payload; it is reached as a path of its own, which the
 * subset does not describe.
 */
function structuralOnlyForComplex(members, type) {
    return type.kind === 'ComplexType' ? members.filter(m => !m.navigation) : members;
}

class SchemaWriter {
    constructor(csdl, included) {
        this.csdl = csdl;
        this.included = included;
    }

    /**
     * A reference to a navigation target. A target outside the subset is written as the root of its type hierarchy
     * (entity), not its nearest base that happens to be in the subset: that way adding an operation to the table
     * cannot change how unrelated navigation properties are described.
     */
    reference(typeName) {
        if (this.included.has(typeName)) return ref(typeName);
        const root = this.csdl.lineage(this.csdl.type(typeName)).at(-1);
        if (!this.included.has(root.fullName)) throw new Error(`${typeName} is outside the subset and so is its root type ${root.fullName}`);
        return { allOf: [ref(root.fullName)], 'x-ms-subset-omitted-type': typeName };
    }

    /**
     * The schema of a structural property or action parameter (same attributes: Type, Nullable). Nullable is the
     * CSDL default. Property descriptions come from Core.Description where the metadata has one.
     */
    valueSchema(element, description) {
        const { collection, name } = this.csdl.typeRef(element.attrs.Type);
        const nullable = element.attrs.Nullable !== 'false';
        let schema;
        if (name.startsWith('Edm.')) {
            // For a collection, Nullable is about its items.
            const value = primitiveSchema(name);
            if (nullable) value.nullable = true;
            schema = collection ? { type: 'array', items: value } : value;
        } else {
            if (!this.included.has(name)) throw new Error(`${name} should have been pulled into the subset`);
            if (collection) schema = { type: 'array', items: ref(name) };
            else if (nullable) schema = { anyOf: [ref(name), nullAlternative()] };
            // A $ref cannot carry a description beside it in OpenAPI 3.0, hence allOf when there is one.
            else schema = description ? { allOf: [ref(name)] } : ref(name);
        }
        if (description) schema.description = description;
        return schema;
    }

    navigationSchema(element) {
        const { collection, name } = this.csdl.typeRef(element.attrs.Type);
        const target = this.reference(name);
        if (collection) return { type: 'array', items: target, 'x-ms-navigationProperty': true };
        if (element.attrs.Nullable === 'false') return { allOf: [target], 'x-ms-navigationProperty': true };
        return { anyOf: [target, nullAlternative()], 'x-ms-navigationProperty': true };
    }

    /**
     * An entity or complex type with every inherited property copied in (Microsoft's OpenAPI uses allOf with the base
     * type instead, which with additionalProperties: false rejects real payloads). Unknown properties are allowed.
     */
    typeSchema(type) {
        if (type.kind === 'EnumType') {
            return { title: type.name, enum: childrenNamed(type.element, 'Member').map(m => m.attrs.Name), type: 'string' };
        }
        const properties = {};
        for (const { element, owner, navigation } of structuralOnlyForComplex(this.csdl.members(type), type)) {
            const name = element.attrs.Name;
            properties[name] = navigation
                ? this.navigationSchema(element)
                : this.valueSchema(element, this.csdl.description(`${owner.fullName}/${name}`, element));
        }
        properties['@odata.type'] = { type: 'string' };
        const schema = { title: type.name, type: 'object', properties, 'x-ms-odata-type': `#${type.fullName}` };
        const ancestors = this.csdl.lineage(type).slice(1);
        if (ancestors.length) schema['x-ms-base-types'] = ancestors.map(t => t.fullName);
        if (type.element.attrs.OpenType === 'true') schema['x-ms-open-type'] = true;
        if (type.element.attrs.Abstract === 'true') schema['x-ms-abstract'] = true;
        return schema;
    }

    collectionResponseSchema(typeName) {
        return {
            title: `Collection of ${this.csdl.type(typeName).name}`,
            type: 'object',
            required: ['value'],
            properties: {
                '@odata.context': { type: 'string' },
                '@odata.count': { type: 'integer', format: 'int64', nullable: true },
                '@odata.nextLink': { type: 'string', nullable: true },
                value: { type: 'array', items: ref(typeName) },
            },
        };
    }
}

// ---------------------------------------------------------------------------------------------------------------------
// Paths

/** Crude but enough for Graph's names: users → user, licenseDetails → licenseDetail, organization → organization. */
const singular = name => (name.endsWith('s') ? name.slice(0, -1) : name);

/**
 * Walks one csdlPath through the metadata. The result says what the path ends on (a collection, an entity, a complex
 * property, an action or a $ref) and where its capability annotations live.
 */
function resolvePath(csdl, csdlPath) {
    // ends: what the path ends on; type: its entity or complex type; lastKind/summaryName: the last naming segment.
    // keys: the path parameters, in order; byAlternateKey: the alternate key's name when the path uses one.
    const state = { url: '', keys: [], operationIdParts: [], navPath: [], ends: undefined, type: undefined, root: undefined };
    for (const segment of csdlPath) {
        const colon = segment.indexOf(':');
        const kind = segment.slice(0, colon);
        const name = segment.slice(colon + 1);
        switch (kind) {
            case 'entitySet':
            case 'singleton': {
                const element = csdl.containerMember(kind === 'entitySet' ? 'EntitySet' : 'Singleton', name);
                const type = csdl.type(csdl.qualify(element.attrs[kind === 'entitySet' ? 'EntityType' : 'Type']));
                Object.assign(state, {
                    ends: kind === 'entitySet' ? 'collection' : 'entity',
                    type,
                    root: { name, type, element, target: `${csdl.container.fullName}/${name}` },
                    capabilities: { target: `${csdl.container.fullName}/${name}`, element },
                    summaryName: name,
                    lastKind: kind,
                });
                state.operationIdParts.push(kind === 'entitySet' ? singular(name) : name);
                break;
            }
            case 'key': {
                if (state.ends !== 'collection') throw new Error(`${segment} must follow a collection in ${csdlPath.join(' / ')}`);
                const expected = `{${state.type.name}-id}`;
                if (name !== expected) throw new Error(`${segment}: a key of ${state.type.fullName} is written ${expected}`);
                state.keys.push(keyParameter(state.type.name));
                state.ends = 'entity';
                state.lastKind = 'key';
                break;
            }
            case 'altKey': {
                if (state.ends !== 'collection') throw new Error(`${segment} must follow a collection in ${csdlPath.join(' / ')}`);
                const declared = (csdl.annotation(state.type.fullName, state.type.element, 'Org.OData.Core.V1.AlternateKeys') ?? [])
                    .filter(key => key.Key?.length === 1)
                    .map(key => key.Key[0].Alias);
                if (!declared.includes(name)) throw new Error(`${segment}: ${state.type.fullName} declares no alternate key ${name}`);
                state.keys.push(alternateKeyParameter(name, state.type.name));
                Object.assign(state, { ends: 'entity', lastKind: 'key', byAlternateKey: name });
                state.url += `(${name}='{${name}}')`;
                continue;
            }
            case 'nav':
            case 'property': {
                if (state.ends !== 'entity') throw new Error(`${segment} must follow an entity in ${csdlPath.join(' / ')}`);
                const { element, owner, navigation } = csdl.member(state.type, name);
                if (navigation !== (kind === 'nav')) {
                    throw new Error(`${name} of ${state.type.fullName} is not a ${kind === 'nav' ? 'navigation' : 'structural'} property`);
                }
                const { collection, name: typeName } = csdl.typeRef(element.attrs.Type);
                const type = csdl.type(typeName);
                if (kind === 'property' && (collection || type.kind !== 'ComplexType')) {
                    throw new Error(`${segment}: only single complex properties are supported`);
                }
                Object.assign(state, {
                    ends: kind === 'property' ? 'complex' : collection ? 'collection' : 'entity',
                    type,
                    capabilities: { target: `${owner.fullName}/${name}`, element },
                    summaryName: name,
                    lastKind: kind,
                });
                state.navPath.push(name);
                state.operationIdParts.push(singular(name));
                break;
            }
            case 'action': {
                if (state.ends !== 'entity') throw new Error(`${segment} must follow an entity in ${csdlPath.join(' / ')}`);
                const bindable = new Set(csdl.lineage(state.type).map(t => t.fullName));
                const action = csdl.actions.find(a => {
                    if (a.element.attrs.Name !== name || a.element.attrs.IsBound !== 'true') return false;
                    const binding = childrenNamed(a.element, 'Parameter')[0];
                    return binding && bindable.has(csdl.typeRef(binding.attrs.Type).name);
                });
                if (!action) throw new Error(`no action ${name} bound to ${state.type.fullName}`);
                Object.assign(state, { ends: 'action', action, summaryName: name, lastKind: kind });
                state.operationIdParts.push(name);
                break;
            }
            case 'ref':
                if (name !== '$ref') throw new Error(`${segment}: write ref:$ref`);
                if (state.ends !== 'collection' && state.ends !== 'entity') throw new Error(`${segment} must follow a navigation property`);
                state.ends = state.ends === 'collection' ? 'collectionRef' : 'entityRef';
                break;
            default:
                throw new Error(`unknown segment ${segment}`);
        }
        state.url += `/${name}`;
    }
    return state;
}

/**
 * Capability annotations for the target a path ends on. A NavigationRestrictions entry on the root entity set or
 * singleton for exactly this navigation path comes first (it refines the navigation property's own), then the
 * annotations on the navigation property, entity set or singleton itself. Annotations on entity *types* are not read:
 * the Capabilities vocabulary applies these terms to entity sets, singletons and collections, not to types. (It
 * matters for subscribedSku, whose type-level annotations would take $top, $skip, $filter, $count, $select and $expand
 * away from GET /subscribedSkus.)
 */
function capabilitiesOf(csdl, state) {
    let restricted;
    if (state.navPath.length) {
        const restrictions = csdl.annotation(state.root.target, state.root.element, `${CAPABILITIES}NavigationRestrictions`);
        restricted = (restrictions?.RestrictedProperties ?? []).find(r => r.NavigationProperty === state.navPath.join('/'));
    }
    const { target, element } = state.capabilities;
    return term => restricted?.[term] ?? csdl.annotation(target, element, `${CAPABILITIES}${term}`);
}

class PathWriter {
    constructor(csdl, schemas) {
        this.csdl = csdl;
        this.schemas = schemas;
        /** Collection responses, in the order the operations first use them. */
        this.collectionResponses = [];
    }

    /**
     * Property names for $select and $orderby. Where the metadata constrains a directoryObject collection to some
     * derived types (DerivedTypeConstraint on members: user, group, ...), the names of those in the subset count too,
     * since Graph accepts them (e.g. $select=displayName on group members).
     */
    selectableMembers(state) {
        const types = [state.type];
        const { target, element } = state.capabilities;
        for (const name of this.csdl.annotation(target, element, 'Org.OData.Validation.V1.DerivedTypeConstraint') ?? []) {
            if (this.schemas.included.has(name)) types.push(this.csdl.type(name));
        }
        const byName = new Map();
        for (const member of types.flatMap(type => this.csdl.members(type))) {
            if (!byName.has(member.element.attrs.Name)) byName.set(member.element.attrs.Name, member);
        }
        return [...byName.values()];
    }

    queryParameters(state, capability, { list }) {
        const parameters = [];
        const read = capability('ReadRestrictions');
        // A GET by key has its own restrictions inside ReadRestrictions; a list, a singleton and a property the outer ones.
        const headers = (state.lastKind === 'key' ? read?.ReadByKeyRestrictions?.CustomHeaders : read?.CustomHeaders) ?? [];
        parameters.push(...headers.map(customHeaderParameter));
        if (list) {
            if (capability('TopSupported') !== false) parameters.push({ $ref: '#/components/parameters/top' });
            if (capability('SkipSupported') !== false) parameters.push({ $ref: '#/components/parameters/skip' });
            if (capability('SearchRestrictions')?.Searchable !== false) parameters.push({ $ref: '#/components/parameters/search' });
            if (capability('FilterRestrictions')?.Filterable !== false) parameters.push({ $ref: '#/components/parameters/filter' });
            if (capability('CountRestrictions')?.Countable !== false) parameters.push({ $ref: '#/components/parameters/count' });
        }
        if (state.ends === 'complex') {
            const names = structuralOnlyForComplex(this.csdl.members(state.type), state.type).map(m => m.element.attrs.Name);
            parameters.push(namesParameter('$select', 'Select properties to be returned', names));
            return parameters;
        }
        const members = this.selectableMembers(state);
        const sort = capability('SortRestrictions');
        if (list && sort?.Sortable !== false) {
            const unsortable = new Set(sort?.NonSortableProperties ?? []);
            const names = members.filter(m => !m.navigation && !unsortable.has(m.element.attrs.Name)).map(m => m.element.attrs.Name);
            parameters.push(namesParameter('$orderby', 'Order items by property values', names.flatMap(n => [n, `${n} asc`, `${n} desc`])));
        }
        if (capability('SelectSupport')?.Supported !== false) {
            parameters.push(namesParameter('$select', 'Select properties to be returned', members.map(m => m.element.attrs.Name)));
        }
        const expand = capability('ExpandRestrictions');
        if (expand?.Expandable !== false) {
            const unexpandable = new Set(expand?.NonExpandableProperties ?? []);
            // Only the collection's own type here: expanding a derived type's navigation needs a cast segment.
            const names = this.csdl
                .members(state.type)
                .filter(m => m.navigation && !unexpandable.has(m.element.attrs.Name))
                .map(m => m.element.attrs.Name);
            parameters.push(namesParameter('$expand', 'Expand related entities', ['*', ...names]));
        }
        return parameters;
    }

    useCollectionResponse(typeName) {
        if (!this.collectionResponses.includes(typeName)) this.collectionResponses.push(typeName);
        return { $ref: `#/components/responses/${collectionResponseName(typeName)}` };
    }

    /** The operation `method` means on the path `state` ends on, with its summary and operationId verb. */
    kindOf(state, method) {
        const kinds = {
            collection: { get: 'List', post: 'Create' },
            entity: { get: 'Get', patch: 'Update', delete: 'Delete' },
            complex: { get: 'Get', patch: 'Update' },
            action: { post: 'Invoke' },
            collectionRef: { post: 'CreateRef' },
            entityRef: { delete: 'DeleteRef' },
        };
        const kind = kinds[state.ends]?.[method];
        if (!kind) throw new Error(`${method.toUpperCase()} on ${state.url} means nothing here`);
        return kind;
    }

    summary(state, kind) {
        const name = state.summaryName;
        switch (kind) {
            case 'List':
                return `List ${name}`;
            case 'Create':
                return `Create ${state.type.name}`;
            case 'Get':
            case 'Update':
            case 'Delete':
                return `${kind} ${state.ends === 'complex' ? name : state.type.name}${state.byAlternateKey ? ` by ${state.byAlternateKey}` : ''}`;
            case 'Invoke':
                return `Invoke action ${name}`;
            case 'CreateRef':
                return `Create new navigation property ref to ${name}`;
            default: // DeleteRef
                return `Delete ref of navigation property ${name}`;
        }
    }

    actionBody(state) {
        const properties = {};
        const required = [];
        for (const parameter of childrenNamed(state.action.element, 'Parameter').slice(1)) {
            properties[parameter.attrs.Name] = this.schemas.valueSchema(parameter);
            // OData: a non-nullable, non-optional action parameter must be sent (assignLicense: both lists, even empty).
            const optional = this.csdl.annotation(undefined, parameter, 'Org.OData.Core.V1.OptionalParameter') !== undefined;
            if (parameter.attrs.Nullable === 'false' && !optional) required.push(parameter.attrs.Name);
        }
        const schema = { type: 'object', properties };
        if (required.length) schema.required = required;
        return schema;
    }

    actionResult(state) {
        const returnType = childNamed(state.action.element, 'ReturnType');
        if (!returnType) return undefined;
        const { collection, name } = this.csdl.typeRef(returnType.attrs.Type);
        if (collection || name.startsWith('Edm.')) throw new Error(`${state.action.fullName}: only single entity or complex results are supported`);
        return returnType.attrs.Nullable === 'false' ? ref(name) : { anyOf: [ref(name), nullAlternative()] };
    }

    operation(state, method, csdlPath) {
        const kind = this.kindOf(state, method);
        const capability = capabilitiesOf(this.csdl, state);
        const rootTag = `${state.root.name}.${state.root.type.name}`;
        const operation = { tags: [rootTag], summary: this.summary(state, kind) };
        if (kind === 'List') operation['x-ms-pageable'] = { nextLinkName: '@odata.nextLink', operationName: 'listMore' };
        if (kind === 'Invoke') operation['x-ms-docs-operation-type'] = 'action';
        // By an alternate key the same entity has a second path; its operationId must differ (application_GetByAppId).
        const byKey = state.byAlternateKey ? `By${state.byAlternateKey[0].toUpperCase()}${state.byAlternateKey.slice(1)}` : '';
        operation.operationId = `${state.operationIdParts.join('.')}_${kind}${byKey}`;

        const parameters = [...state.keys];
        if (kind === 'List') parameters.push(...this.queryParameters(state, capability, { list: true }));
        if (kind === 'Get') parameters.push(...this.queryParameters(state, capability, { list: false }));
        if (kind === 'Delete' || kind === 'DeleteRef') parameters.push(ifMatchParameter());
        if (parameters.length) operation.parameters = parameters;

        const typeSchema = () => ref(state.type.fullName);
        const body = (description, schema) => ({ description, content: jsonContent(schema), required: true });
        if (kind === 'Create') operation.requestBody = body(state.lastKind === 'entitySet' ? 'New entity' : 'New navigation property', typeSchema());
        if (kind === 'Update') operation.requestBody = body('New property values', typeSchema());
        if (kind === 'Invoke') operation.requestBody = body('Action parameters', this.actionBody(state));
        if (kind === 'CreateRef') operation.requestBody = { $ref: '#/components/requestBodies/refPostBody' };

        const withContent = (description, schema) => ({ description, content: jsonContent(schema) });
        // 2XX repeats the success response (Microsoft's UseSuccessStatusCodeRange), except after an update.
        const success = (status, description, schema) => ({
            [status]: withContent(description, schema()),
            '2XX': withContent(description, schema()),
            default: errorResponse(),
        });
        switch (kind) {
            case 'List': {
                const collection = this.useCollectionResponse(state.type.fullName);
                operation.responses = { 200: collection, '2XX': { ...collection }, default: errorResponse() };
                break;
            }
            case 'Create':
                operation.responses = success(201, 'Created entity', typeSchema);
                break;
            case 'Get':
                operation.responses = success(200, 'Retrieved entity', typeSchema);
                break;
            case 'Update':
                operation.responses = {
                    200: withContent('Success', typeSchema()),
                    204: { description: 'Success (no content)' },
                    default: errorResponse(),
                };
                break;
            case 'Invoke':
                operation.responses = this.actionResult(state)
                    ? success(200, 'Success', () => this.actionResult(state))
                    : { 204: { description: 'Success' }, '2XX': { description: 'Success' }, default: errorResponse() };
                break;
            default: // Delete, CreateRef, DeleteRef
                operation.responses = { 204: { description: 'Success' }, '2XX': { description: 'Success' }, default: errorResponse() };
        }
        operation['x-ms-subset-csdl-path'] = [...csdlPath];
        if (kind !== 'Invoke') operation['x-ms-docs-operation-type'] = 'operation';
        return operation;
    }
}

// ---------------------------------------------------------------------------------------------------------------------
// The document

function byName(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}

function build(csdl, handwritten) {
    const resolved = OPERATIONS.map(entry => ({ entry, state: resolvePath(csdl, entry.csdlPath) }));

    // Every type an operation reads or writes, plus the action parameter and result types.
    const roots = new Set();
    for (const { state } of resolved) {
        if (state.ends === 'action') {
            for (const element of [...childrenNamed(state.action.element, 'Parameter').slice(1), childNamed(state.action.element, 'ReturnType')]) {
                const { name } = element ? csdl.typeRef(element.attrs.Type) : { name: 'Edm.' };
                if (!name.startsWith('Edm.')) roots.add(name);
            }
        }
        roots.add(state.type.fullName);
    }
    const included = includedTypes(csdl, roots);
    const schemas = new SchemaWriter(csdl, included);
    const writer = new PathWriter(csdl, schemas);

    const paths = {};
    for (const { entry, state } of resolved) {
        paths[state.url] ??= {};
        for (const method of entry.methods) paths[state.url][method] = writer.operation(state, method, entry.csdlPath);
    }
    for (const [url, item] of Object.entries(handwritten.paths.value)) {
        if (paths[url]) throw new Error(`subset-handwritten.json repeats ${url}, which the metadata gives`);
        paths[url] = item;
    }

    const componentSchemas = {};
    for (const name of [...included].sort(byName)) componentSchemas[name] = schemas.typeSchema(csdl.type(name));
    for (const name of writer.collectionResponses) componentSchemas[collectionResponseName(name)] = schemas.collectionResponseSchema(name);

    // The error's innerError is the one part of the error body the metadata describes (complex type InnerError).
    const innerError = csdl.type('microsoft.graph.InnerError');
    const innerErrorProperties = {};
    for (const { element, owner } of csdl.members(innerError)) {
        innerErrorProperties[element.attrs.Name] = schemas.valueSchema(element, csdl.description(`${owner.fullName}/${element.attrs.Name}`, element));
    }
    Object.assign(componentSchemas, errorSchemas(innerErrorProperties));
    componentSchemas.ReferenceCreate = referenceCreateSchema();
    for (const [name, schema] of Object.entries(handwritten.schemas.value)) {
        if (componentSchemas[name]) throw new Error(`subset-handwritten.json repeats the schema ${name}`);
        componentSchemas[name] = schema;
    }
    for (const override of handwritten.propertyOverrides) {
        const properties = componentSchemas[override.schema]?.properties;
        if (!properties?.[override.property]) throw new Error(`override for a property the subset lacks: ${override.schema}/${override.property}`);
        properties[override.property] = override.value;
    }

    const responses = { error: { description: 'error', content: jsonContent({ $ref: '#/components/schemas/microsoft.graph.ODataErrors.ODataError' }) } };
    for (const name of writer.collectionResponses) {
        responses[collectionResponseName(name)] = { description: 'Retrieved collection', content: jsonContent(ref(collectionResponseName(name))) };
    }

    const { info, servers, security } = handwritten.document;
    return {
        openapi: '3.0.3',
        info,
        servers,
        paths,
        components: {
            schemas: componentSchemas,
            responses,
            parameters: SHARED_PARAMETERS(),
            requestBodies: {
                refPostBody: { description: 'New navigation property ref value', content: jsonContent(ref('ReferenceCreate')), required: true },
            },
            securitySchemes: handwritten.securitySchemes.value,
        },
        security,
    };
}

// ---------------------------------------------------------------------------------------------------------------------
// Checking

/** JSON-pointer paths where two JSON values differ (object key order ignored, array order not). */
function differences(committed, rebuilt, at = '', found = []) {
    if (isDeepStrictEqual(committed, rebuilt)) return found;
    const isObject = v => v !== null && typeof v === 'object' && !Array.isArray(v);
    if (isObject(committed) && isObject(rebuilt)) {
        for (const key of new Set([...Object.keys(committed), ...Object.keys(rebuilt)])) {
            const pointer = `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
            if (!(key in rebuilt)) found.push(`only in the committed subset: ${pointer}`);
            else if (!(key in committed)) found.push(`only in the rebuilt subset:   ${pointer}`);
            else differences(committed[key], rebuilt[key], pointer, found);
        }
    } else if (Array.isArray(committed) && Array.isArray(rebuilt) && committed.length === rebuilt.length) {
        committed.forEach((item, i) => differences(item, rebuilt[i], `${at}/${i}`, found));
    } else {
        found.push(`differs: ${at || '/'}`);
    }
    return found;
}

function gitBlobId(bytes) {
    return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

function main() {
    const options = parseArguments(process.argv.slice(2));
    const bytes = readFileSync(options.metadata);
    const handwritten = JSON.parse(readFileSync(HANDWRITTEN_FILE, 'utf8'));
    const expected = handwritten.metadataFile;
    if (gitBlobId(bytes) !== expected.gitBlob) {
        console.error(
            `build-subset: warning: ${options.metadata} is not ${expected.path} at ${expected.repo}@${expected.commit} ` +
                `(git blob ${gitBlobId(bytes)}, expected ${expected.gitBlob}); ` +
                'update info.x-ms-subset-source and metadataFile in subset-handwritten.json.',
        );
    }
    const document = build(new Csdl(bytes.toString('utf8')), handwritten);
    const text = `${JSON.stringify(document, null, 1)}\n`;

    if (!options.check) {
        writeFileSync(options.out, text);
        console.log(`build-subset: wrote ${path.relative(process.cwd(), options.out) || options.out}`);
        return;
    }
    const committedText = readFileSync(SUBSET_FILE, 'utf8');
    const found = differences(JSON.parse(committedText), document);
    if (found.length) {
        console.error(`build-subset: the rebuilt subset differs from ${path.relative(process.cwd(), SUBSET_FILE)} in ${found.length} place(s):`);
        for (const line of found.slice(0, 25)) console.error(`  ${line}`);
        if (found.length > 25) console.error(`  ... and ${found.length - 25} more`);
        process.exit(1);
    }
    console.log(
        committedText === text
            ? 'build-subset: the committed subset is exactly what the metadata rebuilds'
            : 'build-subset: the committed subset has the rebuilt content (key order or formatting differ)',
    );
}

try {
    main();
} catch (error) {
    // A metadata file the script cannot read, or a table entry the metadata does not have: say which, no stack.
    console.error(`build-subset: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
}
